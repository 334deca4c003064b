/**
 * QFPay's rules for cancelling and refunding an order in each state (docs/providers/qfpay.md §5, §6), as the
 * respcd and message QFPay would refuse with.
 */
import { qfpayHkPayType } from '../../../workflows/qfpay-pay-types.js';
import type { SandboxOrder, SandboxStore } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { hkTime } from './views.js';

export type Refusal = [respcd: string, resperr: string];

/**
 * A Hong Kong pay type is never cancelled (§3.2). QFPay documents no code for that case; 1150 is the one code whose
 * documented meaning is "does not support canceling transactions" (§6) [INF].
 */
export const HK_CANCEL_REFUSAL: Refusal = ['1150', '您的结算方式为T0，不支持撤销交易'];

/** Why reversal/close cannot cancel this order, or undefined when it can (unpaid or paying, not a Hong Kong pay type). */
export function cancelRefusal(order: SandboxOrder): Refusal | undefined {
  if (qfpayHkPayType(order.payType)) return HK_CANCEL_REFUSAL;
  switch (order.state) {
    case 'unpaid':
    case 'paying':
      return undefined;
    case 'paid':
      // A successful transaction cannot be cancelled; refund it (§5.1). The code is the setting's (§6).
      return settings.cancelPaidAnswer === '1297'
        ? ['1297', '该交易不支持撤销，请使用退款']
        : ['1260', '该订单已支付，请确认结果后再操作'];
    case 'closed':
      return ['1264', '订单已关闭'];
    case 'failed':
      return ['1142', '订单已关闭'];
    case 'reversed':
      return ['1263', '订单已撤销'];
    case 'expired':
      return ['1181', '订单已过期'];
    case 'refunded':
    case 'partially_refunded':
      return ['1262', '订单已退款'];
  }
}

/** Why QFPay would refuse this refund (§5.4), or undefined. */
export function refundRefusal(order: SandboxOrder, amount: number, store: SandboxStore): Refusal | undefined {
  switch (order.state) {
    case 'unpaid':
    case 'paying':
      return ['1261', '订单未支付'];
    case 'closed':
    case 'failed':
      return ['1264', '订单已关闭'];
    case 'expired':
      return ['1181', '订单已过期'];
    case 'reversed':
      return ['1263', '订单已撤销'];
    case 'refunded':
      return ['1262', '订单已退款'];
    default:
  }
  if (order.payType === '802001') return ['1155', 'FPS交易不支持退款'];
  const hk = hkTime(settings.now()).slice(11, 16);
  if (settings.refundBlackout && (hk >= '23:30' || hk < '00:30')) return ['1265', '23:30至00:30不允许退款'];
  if (amount > store.refundable(order)) return ['1272', '退款金额超过可退金额'];
  if (amount > settings.unsettledBalance) return ['1269', '当日未结算金额不足'];
  return undefined;
}
