/**
 * The notifications QFPay POSTs (docs/providers/qfpay.md §7): JSON in Python json.dumps form, X-QF-SIGN =
 * MD5(body + client key), acknowledged only by HTTP 200 with the body SUCCESS, otherwise sent again on QFPay's
 * documented schedule.
 */
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { pythonJson, simSignBody } from './signing.js';
import { hkTime, paymentStatus, refundOutTradeNo } from './views.js';

/** QFPay retries unless the answer is 200 and SUCCESS (surrounding whitespace tolerated). */
const isAck = (status: number, body: string): boolean => status === 200 && body.trim() === 'SUCCESS';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The waits between deliveries until acknowledged: 2m, 10m, 10m, 60m, 2h, 6h, 15h (§7, the newest page). */
export const QFPAY_NOTIFY_RETRY_MS: readonly number[] = [
  2 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  60 * MINUTE,
  2 * HOUR,
  6 * HOUR,
  15 * HOUR,
];

function signed(
  orderId: string,
  body: Record<string, unknown>,
  ctx: SandboxContext,
  refundId?: string,
): OutgoingNotification {
  const raw = pythonJson(body);
  return {
    provider: 'qfpay',
    orderId,
    headers: { 'content-type': 'application/json', 'x-qf-sign': simSignBody(raw, ctx.credentials.qfpay.clientKey) },
    body: raw,
    isAck,
    event: String(body.notify_type),
    ...(refundId ? { refundId } : {}),
    retryScheduleMs: QFPAY_NOTIFY_RETRY_MS,
  };
}

/** The payment notification, field order as in the documented sample (§2.4 Q5). */
export function qfpayPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  return signed(
    order.orderId,
    {
      status: '1',
      pay_type: order.payType,
      sysdtm: hkTime(order.createdAt),
      paydtm: hkTime(order.paidAt ?? settings.now()),
      goods_name: String(order.extra.goodsName ?? 'Rescind 沙箱订单'),
      txcurrcd: order.currency,
      txdtm: hkTime(order.createdAt),
      txamt: String(order.amount),
      out_trade_no: order.orderId,
      syssn: order.providerOrderId,
      cancel: paymentStatus(order).cancel,
      respcd: '0000',
      notify_type: 'payment',
    },
    ctx,
  );
}

/**
 * A refund notification: the fields QFPay documents as mandatory for every notification (status, pay_type, sysdtm,
 * paydtm, txcurrcd, txdtm, txamt, out_trade_no, syssn, cancel, respcd, notify_type), here about the refund
 * transaction, plus orig_syssn, orig_out_trade_no and mchid as third parties saw them in real refund
 * notifications (§7). Sent only for a refund that succeeded, as QFPay notifies only successful ones.
 */
export function qfpayRefundNotification(
  order: SandboxOrder,
  refund: SandboxRefund,
  ctx: SandboxContext,
): OutgoingNotification {
  return signed(
    order.orderId,
    {
      status: '1',
      pay_type: order.payType,
      sysdtm: hkTime(refund.createdAt),
      paydtm: hkTime(refund.succeededAt ?? refund.createdAt),
      txcurrcd: order.currency,
      txdtm: String(refund.extra.txdtm ?? hkTime(refund.createdAt)),
      txamt: String(refund.amount),
      out_trade_no: refundOutTradeNo(refund),
      syssn: refund.refundId,
      orig_syssn: order.providerOrderId,
      orig_out_trade_no: order.orderId,
      // The refund transaction itself is not cancelled: its query row shows 0 too (§4.1).
      cancel: '0',
      respcd: '0000',
      notify_type: 'refund',
      mchid: order.merchantId,
    },
    ctx,
    refund.refundId,
  );
}
