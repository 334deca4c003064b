/**
 * QFPay cancels no Hong Kong pay type (docs/providers/qfpay.md §3.2): an unpaid one ends when its payment window does,
 * and a query then shows it expired (1181). The window is the workflow's own table (workflows/qfpay-pay-types.ts),
 * so the simulator and the rules agree.
 */
import { qfpayHkPayType } from '../../../workflows/qfpay-pay-types.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';

/** Mark the order expired if it is an unpaid Hong Kong one whose payment window has passed (setting). */
export function expireIfWindowPassed(ctx: SandboxContext, order: SandboxOrder): void {
  if (!settings.expireAfterPaymentWindow || order.state !== 'unpaid') return;
  const hk = qfpayHkPayType(order.payType);
  if (hk && settings.now().getTime() - order.createdAt.getTime() >= hk.paymentWindowMs)
    ctx.store.close(order, 'expired');
}
