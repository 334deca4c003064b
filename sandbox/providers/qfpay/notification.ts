/**
 * The notifications QFPay POSTs (docs/providers/qfpay.md §7): JSON in Python json.dumps form, X-QF-SIGN =
 * MD5(body + client key), acknowledged only by HTTP 200 with the body SUCCESS.
 */
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { pythonJson, simSignBody } from './signing.js';
import { hkTime, paymentStatus, refundOutTradeNo } from './views.js';

/** QFPay retries unless the answer is 200 and SUCCESS (surrounding whitespace tolerated). */
const isAck = (status: number, body: string): boolean => status === 200 && body.trim() === 'SUCCESS';

function signed(orderId: string, body: Record<string, unknown>, ctx: SandboxContext): OutgoingNotification {
  const raw = pythonJson(body);
  return {
    provider: 'qfpay',
    orderId,
    headers: { 'content-type': 'application/json', 'x-qf-sign': simSignBody(raw, ctx.credentials.qfpay.clientKey) },
    body: raw,
    isAck,
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

/** A refund notification, in the shape third parties saw in real traffic (§7, undocumented). */
export function qfpayRefundNotification(order: SandboxOrder, refund: SandboxRefund, ctx: SandboxContext): OutgoingNotification {
  return signed(
    order.orderId,
    {
      notify_type: 'refund',
      syssn: refund.refundId,
      orig_syssn: order.providerOrderId,
      out_trade_no: refundOutTradeNo(refund),
      orig_out_trade_no: order.orderId,
      txamt: String(refund.amount),
      txcurrcd: order.currency,
      txdtm: String(refund.extra.txdtm ?? hkTime(refund.createdAt)),
      sysdtm: hkTime(refund.createdAt),
      mchid: order.merchantId,
      respcd: '0000',
    },
    ctx,
  );
}
