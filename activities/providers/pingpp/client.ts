/**
 * Ping++ over HTTP (docs/providers/pingpp.md §1–§2): API-key auth (Bearer, as the PHP/Java SDKs send it), JSON
 * bodies, and the RSA request signature when a merchant private key is configured. 2xx bodies are
 * checked against `X-Pingplusplus-Signature` with the Ping++ public key when one is configured
 * (§3.1). Transport trouble is thrown by `send`; every answer comes back for the mapper to judge.
 */
import type { Got } from 'got';
import type { PingppConfig } from './config.js';
import { configurationError } from '../../errors.js';
import { createHttpClient, send, type ProviderHttpClient } from '../http.js';
import { rsaVerify, signatureHeaders } from './signer.js';
import { PingppErrorBody, type PingppErrorDetail } from './wire.js';

export type PingppCall = 'query' | 'reverse' | 'refund' | 'queryRefund';

/** What a 2xx signature check found; `unchecked` when no Ping++ public key is configured. */
export type ResponseSignature = 'valid' | 'invalid' | 'missing' | 'unchecked';

/** One Ping++ answer: a JSON object (2xx), a Ping++ error, or something that is neither. */
export type PingppAnswer =
  | { kind: 'object'; status: number; body: unknown; signature: ResponseSignature }
  | { kind: 'error'; status: number; error: PingppErrorDetail; signed: boolean }
  | { kind: 'unreadable'; status: number; why: string };

/** One Ping++ request. `path` starts with /v1/; `query` is appended in the given order. */
export interface PingppRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export class PingppClient implements ProviderHttpClient<PingppRequest, PingppAnswer> {
  private readonly http: Got;
  /** The base URL's own path (e.g. "/pingpp" in the sandbox): part of the URI Ping++ verifies. */
  private readonly basePath: string;

  constructor(
    private readonly config: PingppConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('pingpp', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
    this.basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  }

  /** Send one request; the signature covers the URI exactly as it goes on the wire. */
  async send(
    call: PingppCall,
    { method, path, ...options }: PingppRequest,
    signal?: AbortSignal,
  ): Promise<PingppAnswer> {
    const qs = options.query ? new URLSearchParams(options.query).toString() : '';
    const relative = `${path.replace(/^\//, '')}${qs ? `?${qs}` : ''}`;
    const raw = method === 'POST' ? JSON.stringify(options.body ?? {}) : '';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.apiKey}`,
      accept: 'application/json',
    };
    if (method === 'POST') headers['content-type'] = 'application/json; charset=UTF-8';
    const signed = this.config.privateKeyPem !== undefined;
    if (this.config.privateKeyPem) {
      try {
        Object.assign(
          headers,
          signatureHeaders(raw, `${this.basePath}/${relative}`, timestamp, this.config.privateKeyPem),
        );
      } catch (err) {
        // A key that cannot sign is a configuration failure: retrying cannot help.
        throw configurationError(
          'pingpp',
          `cannot sign with the key from PINGPP_PRIVATE_KEY_PATH (${(err as Error).message})`,
        );
      }
    } else headers['pingplusplus-request-timestamp'] = String(timestamp);

    const response = await send(
      'pingpp',
      call,
      () => this.http(relative, { method, body: method === 'POST' ? raw : undefined, headers, signal }),
      signal,
    );
    const status = response.statusCode;
    const json = parseJson(response.rawBody.toString('utf8'));
    if (status >= 200 && status < 300) {
      if (json === undefined) return { kind: 'unreadable', status, why: 'body is not JSON' };
      return {
        kind: 'object',
        status,
        body: json,
        signature: this.checkSignature(response.rawBody, response.headers['x-pingplusplus-signature']),
      };
    }
    const error = PingppErrorBody.safeParse(json);
    if (!error.success) return { kind: 'unreadable', status, why: `HTTP ${status} without a Ping++ error body` };
    return { kind: 'error', status, error: error.data.error, signed };
  }

  private checkSignature(raw: Buffer, header: string | string[] | undefined): ResponseSignature {
    if (!this.config.webhookPublicKeyPem || !this.config.verifyResponses) return 'unchecked';
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) return 'missing';
    return rsaVerify(raw, signature, this.config.webhookPublicKeyPem) ? 'valid' : 'invalid';
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
