/**
 * When a Ping++ refund settles, Ping++ sends `refund.succeeded` (docs/providers/pingpp.md §3): for a refund that
 * succeeds at once, and for one first `pending` the moment a retrieve sees it succeed. A refund that failed at the
 * channel sends nothing (no failure event is documented).
 */
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { pingppRefundNotification } from './notification.js';

/** Send the refund's webhook if it has succeeded; false when Ping++ would send none. */
export function notifyPingppRefund(ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund): boolean {
  if (refund.status !== 'succeeded') return false;
  ctx.notifier.send(pingppRefundNotification(order, refund, ctx));
  return true;
}

/** Look at a refund the way a retrieve does; one that succeeds now is notified. */
export function observePingppRefund(ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund): SandboxRefund {
  const before = refund.status;
  ctx.store.observeRefund(order, refund);
  if (before !== refund.status) notifyPingppRefund(ctx, order, refund);
  return refund;
}
