/**
 * When a QFPay refund settles, QFPay notifies it (docs/providers/qfpay.md §7): only refunds that succeeded, the moment
 * they do, whether that is at once (respcd 0000 on the refund call) or later (a refund first answered 1145 and
 * then seen finishing by a query).
 */
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { qfpayRefundNotification } from './notification.js';

/** Send the refund's notification if it has succeeded; false when QFPay would send none. */
export function notifyQfpayRefund(ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund): boolean {
  if (refund.status !== 'succeeded') return false;
  ctx.notifier.send(qfpayRefundNotification(order, refund, ctx));
  return true;
}

/** Look at a refund the way a query does; one that finishes now is notified. */
export function observeQfpayRefund(ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund): SandboxRefund {
  const before = refund.status;
  ctx.store.observeRefund(order, refund);
  if (before !== refund.status) notifyQfpayRefund(ctx, order, refund);
  return refund;
}
