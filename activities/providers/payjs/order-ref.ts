/** What the adapter needs from an OrderRef before it may call PAYJS. */
import { configurationError, requestRejected } from '../../errors.js';
import type { PayjsConfig } from './config.js';
import type { OrderRef } from '../../../domain/index.js';

/**
 * The order's payjs_order_id. PAYJS looks orders up by it only (docs/providers/payjs.md §3.1), and every call
 * is signed with one merchant's key, so an order of another mchid is a configuration problem.
 */
export function payjsOrderIdOf(config: PayjsConfig, order: OrderRef, call: string): string {
  if (order.merchantId !== config.mchid) {
    throw configurationError('payjs', `${call}: order merchant ${order.merchantId} is not the configured PAYJS_MCHID`);
  }
  if (!order.providerOrderId) {
    throw requestRejected('payjs', call, 'supply providerOrderId (the payjs_order_id): PAYJS finds orders by it only');
  }
  return order.providerOrderId;
}
