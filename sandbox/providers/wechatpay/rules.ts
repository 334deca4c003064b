/**
 * WeChat Pay's rules for closing, reversing and refunding an order in each state
 * (docs/providers/wechatpay.md §5.3, §5.4, §5.6, §7.3), as the answer WeChat would refuse with.
 */
import type { SandboxOrder, SandboxStore } from '../../store.js';
import { wechatpaySandboxSettings as settings } from './settings.js';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

const DAY = 86_400_000;
/** Trade types reverse applies to: codepay (付款码) and face pay (§5.4). */
export const CODEPAY_TYPES: ReadonlySet<string> = new Set(['MICROPAY', 'FACEPAY']);
/** Partial refunds per order (§5.6). */
export const MAX_REFUNDS = 50;

const notFound: Refusal = { status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' };
const closed: Refusal = { status: 400, code: 'ORDER_CLOSED', message: '订单已关闭' };

/** Close (§5.3): `close` applies it, `quiet` answers 204 and changes nothing. */
export function closeDecision(order: SandboxOrder | undefined): 'close' | 'quiet' | Refusal {
  if (!order) return settings.closeQuietly ? 'quiet' : notFound;
  switch (order.state) {
    case 'unpaid':
    case 'paying':
    case 'failed':
      return 'close';
    case 'closed':
    case 'expired':
    case 'reversed':
      return settings.closeQuietly ? 'quiet' : closed;
    case 'paid':
    case 'refunded':
    case 'partially_refunded':
      return { status: 400, code: 'ORDER_PAID', message: '订单已支付' };
  }
}

/** Reverse (§5.4): `reverse` applies it (an unpaid order closes, a paid one is paid back); `again` repeats a done reversal. */
export function reverseDecision(order: SandboxOrder | undefined): 'reverse' | 'again' | Refusal {
  if (!order) return notFound;
  if (!CODEPAY_TYPES.has(order.payType))
    return { status: 400, code: 'INVALID_REQUEST', message: '非付款码支付订单不支持撤销' };
  if (settings.now().getTime() - order.createdAt.getTime() > 7 * DAY)
    return { status: 403, code: 'REVERSE_EXPIRE', message: '订单已超过撤销期限' };
  switch (order.state) {
    case 'unpaid':
    case 'paying':
    case 'paid':
    case 'failed':
      return 'reverse';
    case 'reversed':
      return 'again';
    case 'closed':
    case 'expired':
      return closed;
    case 'refunded':
    case 'partially_refunded':
      return { status: 403, code: 'TRADE_ERROR', message: '订单已发生退款，不能撤销' };
  }
}

/** Why a new refund of `amount` cannot be made (§5.6, §7.3), or undefined. */
export function refundRefusal(
  order: SandboxOrder,
  amount: number,
  total: number,
  store: SandboxStore,
): Refusal | undefined {
  // Unpaid orders cannot be refunded, and say so as "not found" (§5.6).
  if (!order.paidAt) return { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' };
  if (total !== order.amount) return { status: 400, code: 'PARAM_ERROR', message: '订单金额与实际金额不一致' };
  if (settings.now().getTime() - order.paidAt.getTime() > 365 * DAY)
    return { status: 400, code: 'INVALID_REQUEST', message: '订单已超过退款期限' };
  if (order.refunds.length >= MAX_REFUNDS)
    return { status: 403, code: 'RULE_LIMIT', message: '订单退款次数已达上限（50次）' };
  // A reversal already paid the whole order back.
  const refundable = order.reversedAfterPayment ? 0 : store.refundable(order);
  if (amount > refundable) return { status: 400, code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' };
  if (amount > settings.availableBalance)
    return { status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足，请充值后重新发起' };
  return undefined;
}
