/**
 * WeChat Pay v3 over HTTP (docs/providers/wechatpay.md §1–§3): every request signed
 * (WECHATPAY2-SHA256-RSA2048 over the full path as sent, so a base-URL path prefix is covered),
 * every answer's Wechatpay-* signature checked on the raw bytes. Transport trouble is thrown by
 * `send`; everything else comes back as a WechatAnswer for the mapper to judge.
 */
import { randomBytes } from 'node:crypto';
import type { Got } from 'got';
import type { WechatpayConfig } from './config.js';
import { configurationError } from '../../errors.js';
import { createHttpClient, send, type ProviderHttpClient } from '../http.js';
import { authorizationHeader, requestMessage, rsaSign, verifySigned, type SignatureVerdict } from './signer.js';

export type WechatCall = 'query' | 'close' | 'reverse' | 'refund' | 'queryRefund';

/** One answer: its status, parsed JSON (undefined when empty or not JSON) and whether it was signed by WeChat Pay. */
export interface WechatAnswer {
  status: number;
  json: unknown;
  /** Set when the body is not empty and not JSON. */
  unreadable?: string;
  signature: SignatureVerdict;
}

export interface WechatClientOptions {
  timeoutMs?: number;
  /** Clock for request timestamps and the ±300 s answer check (tests move it). */
  now?: () => Date;
}

/**
 * One WeChat Pay request. `path` starts with /v3/ and carries its query string already encoded;
 * `body` is serialised once and those exact bytes are both signed and sent.
 */
export interface WechatRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, unknown>;
}

/** Sign with the configured key; a key that cannot sign is a configuration failure, never retried. */
function signOrFail(message: string, privateKeyPem: string): string {
  try {
    return rsaSign(message, privateKeyPem);
  } catch (err) {
    throw configurationError(
      'wechatpay',
      `cannot sign with the key from WECHATPAY_PRIVATE_KEY_PATH (${(err as Error).message})`,
    );
  }
}

export class WechatpayClient implements ProviderHttpClient<WechatRequest, WechatAnswer> {
  private readonly http: Got;
  private readonly basePath: string;
  private readonly now: () => Date;

  constructor(
    private readonly config: WechatpayConfig,
    options: WechatClientOptions = {},
  ) {
    this.http = createHttpClient('wechatpay', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
    this.basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
    this.now = options.now ?? (() => new Date());
  }

  /** Send one signed request and check the answer's signature. */
  async send(call: WechatCall, { method, path, body }: WechatRequest, signal?: AbortSignal): Promise<WechatAnswer> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const target = new URL(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`);
    // got resolves the same string the same way: sign what goes on the wire, prefix included.
    const signature = signOrFail(
      requestMessage(method, `${target.pathname}${target.search}`, timestamp, nonce, raw),
      this.config.privateKeyPem,
    );
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: authorizationHeader({
        mchid: this.config.spMchid,
        nonce_str: nonce,
        signature,
        timestamp,
        serial_no: this.config.merchantSerial,
      }),
    };
    if (method === 'POST') headers['content-type'] = 'application/json';
    const relative = `${target.pathname.slice(this.basePath.length).replace(/^\/+/, '')}${target.search}`;
    const response = await send(
      'wechatpay',
      call,
      () => this.http(relative, { method, body: method === 'POST' ? raw : undefined, headers, signal }),
      signal,
    );
    const text = response.rawBody.toString('utf8');
    const verdict = verifySigned(
      response.headers,
      text,
      { keyId: this.config.platformKeyId, publicKeyPem: this.config.platformPublicKeyPem },
      this.now().getTime() / 1000,
    );
    if (text === '') return { status: response.statusCode, json: undefined, signature: verdict };
    try {
      return { status: response.statusCode, json: JSON.parse(text), signature: verdict };
    } catch {
      return { status: response.statusCode, json: undefined, unreadable: 'body is not JSON', signature: verdict };
    }
  }
}
