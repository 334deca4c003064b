/**
 * QFPay over HTTP: form-encoded POSTs to /trade/v1/<name> with X-QF-APPCODE / X-QF-SIGN
 * (/ X-QF-SIGNTYPE), never sending empty parameters; every answer's X-QF-SIGN is verified on
 * the raw bytes before the body is read.
 */
import type { Got } from 'got';
import type { QfpayConfig } from '../../../worker/config.js';
import { untrustedResponse } from '../../errors.js';
import { createHttpClient, send } from '../http.js';
import { qfpaySignRequest, qfpayVerifyBody } from './signer.js';

export type QfpayCall = 'query' | 'reversal' | 'close' | 'refund';

export class QfpayClient {
  private readonly http: Got;

  constructor(
    private readonly config: QfpayConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('qfpay', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
  }

  async call(name: QfpayCall, params: Record<string, string | undefined>, signal?: AbortSignal): Promise<unknown> {
    const form: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...params, mchid: this.config.mchid })) if (v !== undefined && v !== '') form[k] = v;
    const headers: Record<string, string> = {
      'x-qf-appcode': this.config.appCode,
      'x-qf-sign': qfpaySignRequest(form, this.config.clientKey, this.config.signType),
    };
    if (this.config.signType === 'SHA256') headers['x-qf-signtype'] = 'SHA256';
    const call = name === 'reversal' ? 'reverse' : name;
    const response = await send('qfpay', call, () => this.http.post(`trade/v1/${name}`, { form, headers, signal }));
    const signature = response.headers['x-qf-sign'];
    if (!qfpayVerifyBody(response.rawBody, this.config.clientKey, Array.isArray(signature) ? signature[0] : signature)) {
      throw untrustedResponse('qfpay', call, `response signature did not verify (HTTP ${response.statusCode})`);
    }
    try {
      return JSON.parse(response.rawBody.toString('utf8'));
    } catch {
      throw untrustedResponse('qfpay', call, 'body is not JSON');
    }
  }
}
