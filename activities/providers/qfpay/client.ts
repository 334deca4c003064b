/**
 * QFPay over HTTP (docs/providers/qfpay.md §1–§2): form-encoded POSTs to /trade/v1/<endpoint> with
 * X-QF-APPCODE, X-QF-SIGN and X-QF-SIGNTYPE. Empty parameters are never sent, so the old and new
 * signature rules agree (§2.1). The answer's X-QF-SIGN is checked on the raw bytes; transport
 * trouble is thrown by `send`, everything else comes back as a QfpayAnswer for the mapper to judge.
 */
import type { Got } from 'got';
import type { QfpayConfig } from './config.js';
import { createHttpClient, send } from '../http.js';
import { qfpaySignRequest, qfpayVerifyBody, type QfpaySignType } from './signer.js';

export type QfpayEndpoint = 'query' | 'reversal' | 'close' | 'refund';

/** A QFPay answer: its parsed JSON and whether its signature verified, or why it could not be read. */
export type QfpayAnswer =
  | { readable: true; json: unknown; signature: 'valid' | 'invalid' | 'missing' }
  | { readable: false; why: string };

export class QfpayClient {
  private readonly http: Got;

  constructor(
    private readonly config: QfpayConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('qfpay', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
  }

  /**
   * POST one call. `call` names it in errors (query, reverse, close, refund, queryRefund). The
   * configured mchid is added: it must be sent when QFPay issued one, and never otherwise (§1).
   */
  async call(endpoint: QfpayEndpoint, call: string, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<QfpayAnswer> {
    const form: Record<string, string> = {};
    for (const [name, value] of Object.entries({ ...params, mchid: this.config.mchid })) {
      if (value !== undefined && value !== '') form[name] = value;
    }
    const signType: QfpaySignType = this.config.signType;
    const headers: Record<string, string> = {
      'x-qf-appcode': this.config.appCode,
      'x-qf-sign': qfpaySignRequest(form, this.config.clientKey, signType),
    };
    // Absent means MD5 (§1); only SHA256 is declared.
    if (signType === 'SHA256') headers['x-qf-signtype'] = 'SHA256';
    const response = await send('qfpay', call, () => this.http.post(`trade/v1/${endpoint}`, { form, headers, signal }));
    if (response.statusCode !== 200) return { readable: false, why: `HTTP ${response.statusCode}` };
    return readAnswer(response.rawBody, this.config.clientKey, header(response.headers['x-qf-sign']), header(response.headers['x-qf-signtype']));
  }
}

/**
 * Check a raw answer's signature, then parse it. The answer may declare SHA256 in X-QF-SIGNTYPE
 * (§12 Q6); any other declared type cannot be checked and counts as invalid.
 */
export function readAnswer(raw: Buffer, clientKey: string, sign: string | undefined, signType: string | undefined): QfpayAnswer {
  const type = (signType ?? 'MD5').trim().toUpperCase();
  const signature = !sign ? 'missing' : (type === 'MD5' || type === 'SHA256') && qfpayVerifyBody(raw, clientKey, sign, type) ? 'valid' : 'invalid';
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { readable: false, why: 'body is not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { readable: false, why: 'body is not a JSON object' };
  return { readable: true, json, signature };
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
