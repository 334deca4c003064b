/** PAYJS over HTTP: form-encoded POSTs to /api/<name>, signed; responses verified before use. */
import type { Got } from 'got';
import { configurationError, requestRejected, untrustedResponse } from '../../errors.js';
import type { PayjsConfig } from '../../../worker/config.js';
import { createHttpClient, send } from '../http.js';
import type { OrderRef } from '../provider.js';
import { payjsSign, payjsVerify, type SignableValue } from './signer.js';

export type PayjsCall = 'check' | 'reverse' | 'close' | 'refund';

export interface PayjsAnswer {
  body: Record<string, SignableValue>;
  /** Whether the response's `sign` verified with our key. */
  verified: boolean;
}

export class PayjsClient {
  private readonly http: Got;

  constructor(
    private readonly config: PayjsConfig,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = createHttpClient('payjs', { baseUrl: config.baseUrl, timeoutMs: options.timeoutMs });
  }

  /** The order's payjs_order_id, after checking it belongs to our merchant account. */
  orderIdOf(order: OrderRef, call: string): string {
    if (order.merchantId !== this.config.mchid) {
      throw configurationError('payjs', `order merchant ${order.merchantId} is not the configured PAYJS_MCHID`);
    }
    if (!order.providerOrderId) throw requestRejected('payjs', call, 'providerOrderId (payjs_order_id) is required: PAYJS looks orders up by it only');
    return order.providerOrderId;
  }

  async call(name: PayjsCall, payjsOrderId: string, signal?: AbortSignal): Promise<PayjsAnswer> {
    const fields: Record<string, string> = { mchid: this.config.mchid, payjs_order_id: payjsOrderId };
    fields.sign = payjsSign(fields, this.config.key);
    const response = await send('payjs', name, () => this.http.post(`api/${name}`, { form: fields, signal }));
    if (response.statusCode !== 200) throw untrustedResponse('payjs', name, `HTTP ${response.statusCode}`);
    let body: Record<string, SignableValue>;
    try {
      body = JSON.parse(response.rawBody.toString('utf8')) as Record<string, SignableValue>;
    } catch {
      throw untrustedResponse('payjs', name, 'body is not JSON');
    }
    if (typeof body !== 'object' || body === null) throw untrustedResponse('payjs', name, 'body is not an object');
    return { body, verified: payjsVerify(body, this.config.key) };
  }
}
