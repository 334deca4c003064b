/**
 * QFPay over HTTP (docs/providers/qfpay.md §1–§2): form-encoded POSTs to /trade/v1/<endpoint> with
 * X-QF-APPCODE, X-QF-SIGN and X-QF-SIGNTYPE. Empty parameters are never sent, so the old and new
 * signature rules agree (§2.1). The answer's X-QF-SIGN is checked under the one configured scheme (§2.2);
 * transport trouble is thrown by `send`, everything else comes back as a QfpayAnswer for the mapper to judge.
 */
import type { Got } from 'got';
import type { QfpayConfig } from './config.js';
import { createHttpClient, send, type ProviderHttpClient } from '../http.js';
import { qfpaySignRequest, qfpayVerifyAnswer, type QfpayAnswerScheme, type QfpaySignType } from './signer.js';

export type QfpayEndpoint = 'query' | 'reversal' | 'close' | 'refund';

/**
 * A QFPay answer: its parsed JSON and whether its signature verified, or why it could not be read. `hint` says
 * why a signature counted as invalid when the answer declared another hash than the configured one.
 */
export type QfpayAnswer =
  | { readable: true; json: unknown; signature: 'valid' | 'invalid' | 'missing'; hint?: string }
  | { readable: false; why: string };

/** One QFPay request: the /trade/v1 endpoint and its form fields (empty ones are not sent). */
export interface QfpayRequest {
  endpoint: QfpayEndpoint;
  params: Record<string, string | undefined>;
}

export class QfpayClient implements ProviderHttpClient<QfpayRequest, QfpayAnswer> {
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
  async send(call: string, { endpoint, params }: QfpayRequest, signal?: AbortSignal): Promise<QfpayAnswer> {
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
    const response = await send(
      'qfpay',
      call,
      () => this.http.post(`trade/v1/${endpoint}`, { form, headers, signal }),
      signal,
    );
    if (response.statusCode !== 200) return { readable: false, why: `HTTP ${response.statusCode}` };
    const scheme: QfpayAnswerScheme = { over: this.config.answerSignedOver, type: this.config.answerSignType };
    const { 'x-qf-sign': sign, 'x-qf-signtype': declared } = response.headers;
    return readAnswer(response.rawBody, this.config.clientKey, header(sign), header(declared), scheme);
  }
}

/** The documented default (§2.2, G-JP §3.4): MD5 over the raw body, the only reading with a verified vector. */
export const QFPAY_DEFAULT_ANSWER_SCHEME: QfpayAnswerScheme = { over: 'raw_body', type: 'MD5' };

/**
 * Parse a raw answer and check its signature under the configured scheme, and only that one. X-QF-SIGNTYPE is not
 * signed, so it never chooses the hash; an answer that declares another hash than the configured one is
 * inconsistent and not trusted either (§2.2, §12 Q6). Without the header the configured hash is assumed.
 */
export function readAnswer(
  raw: Buffer,
  clientKey: string,
  sign: string | undefined,
  declared: string | undefined,
  scheme: QfpayAnswerScheme = QFPAY_DEFAULT_ANSWER_SCHEME,
): QfpayAnswer {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { readable: false, why: 'body is not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return { readable: false, why: 'body is not a JSON object' };
  if (!sign) return { readable: true, json, signature: 'missing' };
  const type = declared?.trim().toUpperCase();
  if (type && type !== scheme.type) {
    const hint = `it declares X-QF-SIGNTYPE ${type}; QFPAY_ANSWER_SIGN_TYPE is ${scheme.type}`;
    return { readable: true, json, signature: 'invalid', hint };
  }
  const valid = qfpayVerifyAnswer(raw, json as Record<string, unknown>, clientKey, sign, scheme);
  return { readable: true, json, signature: valid ? 'valid' : 'invalid' };
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
