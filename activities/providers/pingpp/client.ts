/**
 * Ping++ over HTTP: API-key auth, the optional RSA request signature, JSON bodies; 2xx bodies
 * are checked against X-Pingplusplus-Signature when the Ping++ public key is configured.
 */
import type { Got } from 'got';
import type { PingppConfig } from '../../../worker/config.js';
import { configurationError, rateLimited, requestRejected, untrustedResponse } from '../../errors.js';
import { createHttpClient, send } from '../http.js';
import { requestStringToSign, rsaSign, rsaVerify } from './signer.js';
import { PingppError } from './wire.js';

export type PingppCall = 'query' | 'reverse' | 'refund' | 'queryRefund';

/** The provider's "no" (a channel or business refusal), as data for the mapper. */
export interface PingppRefusal {
  refusal: { status: number; type: string; code?: string; message?: string; param?: string };
}

export class PingppClient {
  private readonly http: Got;
  private readonly basePath: string;

  constructor(
    private readonly config: PingppConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('pingpp', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
    this.basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  }

  async request(call: PingppCall, method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown | PingppRefusal> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.apiKey}`,
      'pingplusplus-request-timestamp': String(timestamp),
    };
    if (method === 'POST') headers['content-type'] = 'application/json; charset=UTF-8';
    if (this.config.privateKeyPem) headers['pingplusplus-signature'] = rsaSign(requestStringToSign(raw, `${this.basePath}${path}`, timestamp), this.config.privateKeyPem);
    const response = await send('pingpp', call, () => this.http(path.replace(/^\//, ''), { method, body: method === 'POST' ? raw : undefined, headers, signal }));
    const text = response.rawBody.toString('utf8');
    if (response.statusCode >= 200 && response.statusCode < 300) {
      const signature = response.headers['x-pingplusplus-signature'];
      if (this.config.webhookPublicKeyPem && !rsaVerify(response.rawBody, Array.isArray(signature) ? signature[0] : signature, this.config.webhookPublicKeyPem)) {
        throw untrustedResponse('pingpp', call, 'response signature did not verify');
      }
      try {
        return JSON.parse(text);
      } catch {
        throw untrustedResponse('pingpp', call, 'body is not JSON');
      }
    }
    const parsed = PingppError.safeParse(safeJson(text));
    const error = parsed.success ? parsed.data.error : { type: 'unknown', message: `HTTP ${response.statusCode}` };
    if (response.statusCode === 401) throw configurationError('pingpp', `authentication failed: ${error.message ?? ''}`);
    if (response.statusCode === 403) throw rateLimited('pingpp', call);
    if (response.statusCode === 400 && error.param) throw requestRejected('pingpp', call, `${error.param}: ${error.message ?? ''}`, { httpStatus: 400 });
    return { refusal: { status: response.statusCode, ...error } } satisfies PingppRefusal;
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const isRefusal = (value: unknown): value is PingppRefusal => typeof value === 'object' && value !== null && 'refusal' in value;
