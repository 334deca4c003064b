/**
 * WeChat Pay v3 over HTTP: every request signed (WECHATPAY2-SHA256-RSA2048), every answer checked
 * against Wechatpay-Serial / -Timestamp / -Nonce / -Signature with the platform public key
 * (±300 s) before it is read. An answer that does not verify is never trusted.
 */
import { randomBytes } from 'node:crypto';
import type { Got } from 'got';
import type { WechatpayConfig } from '../../../worker/config.js';
import { createHttpClient, send } from '../http.js';
import { authorizationHeader, MAX_CLOCK_SKEW_S, requestMessage, responseMessage, rsaSign, rsaVerify } from './signer.js';

export type WechatCall = 'query' | 'close' | 'reverse' | 'refund' | 'queryRefund';

export interface WechatAnswer {
  status: number;
  body: unknown;
  /** Why the answer cannot be trusted, or undefined when its signature verified. */
  untrusted?: string;
}

export class WechatpayClient {
  private readonly http: Got;
  private readonly basePath: string;

  constructor(
    private readonly config: WechatpayConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('wechatpay', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
    this.basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  }

  get spMchid(): string {
    return this.config.spMchid;
  }

  async request(call: WechatCall, method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<WechatAnswer> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const signature = rsaSign(requestMessage(method, `${this.basePath}${path}`, timestamp, nonce, raw), this.config.privateKeyPem);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: authorizationHeader({ mchid: this.config.spMchid, nonce_str: nonce, signature, timestamp: String(timestamp), serial_no: this.config.merchantSerial }),
    };
    if (method === 'POST') headers['content-type'] = 'application/json';
    const response = await send('wechatpay', call, () => this.http(path.replace(/^\//, ''), { method, body: method === 'POST' ? raw : undefined, headers, signal }));
    const text = response.rawBody.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      return { status: response.statusCode, body: undefined, untrusted: 'body is not JSON' };
    }
    return { status: response.statusCode, body: parsed, untrusted: this.whyUntrusted(response.headers, text) };
  }

  private whyUntrusted(headers: Record<string, string | string[] | undefined>, body: string): string | undefined {
    const h = (name: string): string | undefined => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const serial = h('wechatpay-serial');
    const timestamp = h('wechatpay-timestamp');
    const nonce = h('wechatpay-nonce');
    const signature = h('wechatpay-signature');
    if (!serial || !timestamp || !nonce || !signature) return 'signature headers missing';
    if (serial !== this.config.platformKeyId) return `signed by unknown key ${serial}`;
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) return 'Wechatpay-Timestamp more than 300 s away';
    if (!rsaVerify(responseMessage(timestamp, nonce, body), signature, this.config.platformPublicKeyPem)) return 'Wechatpay-Signature did not verify';
    return undefined;
  }
}

export { randomBytes };
