/**
 * The payment notification PAYJS POSTs to notify_url (docs/providers/payjs.md §4): urlencoded, signed over all
 * fields, acknowledged by any HTTP 200 (the body is not read). PAYJS documents no refund notification.
 */
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { simSign } from './signing.js';
import { openidOf, payjsTime, transactionIdOf } from './views.js';

/**
 * PAYJS pushes at 0, 15, 30, 180, 1800 and 3600 s (§4, read as times after the payment, the last automatic one
 * after an hour): the waits between them.
 */
export const PAYJS_NOTIFY_RETRY_MS: readonly number[] = [15_000, 15_000, 150_000, 1_620_000, 1_800_000];

export function payjsPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  const fields: Record<string, string> = {
    return_code: '1',
    total_fee: String(order.amount),
    out_trade_no: order.orderId,
    payjs_order_id: order.providerOrderId,
    transaction_id: transactionIdOf(order),
    time_end: payjsTime(order.paidAt ?? new Date()),
    openid: openidOf(order),
    mchid: order.merchantId,
  };
  // `type` is sent only for Alipay orders (§4).
  if (order.payType === 'alipay') fields.type = 'alipay';
  fields.sign = simSign(fields, ctx.credentials.payjs.key);
  return {
    provider: 'payjs',
    orderId: order.orderId,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    isAck: (status) => status === 200,
    event: 'payment',
    retryScheduleMs: PAYJS_NOTIFY_RETRY_MS,
  };
}
