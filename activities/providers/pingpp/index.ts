/** The Ping++ adapter: retrieve, reverse, refunds (looked up by metadata before every create). */
import type { PingppConfig } from '../../../worker/config.js';
import { notSupported, requestRejected } from '../../errors.js';
import type { OrderRef, ProviderAdapter } from '../provider.js';
import { PingppClient } from './client.js';
import { mapCharge, mapRefundCreated, mapRefundObservation, mapReverse, parseRefunds, refundKeyOf } from './mapper.js';

export function createPingppAdapter(config: PingppConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new PingppClient(config, options);
  const chargePath = (order: OrderRef, call: string): string => {
    if (!order.providerOrderId) throw requestRejected('pingpp', call, 'providerOrderId (the ch_ charge id) is required: Ping++ has no lookup by order_no');
    return `/v1/charges/${encodeURIComponent(order.providerOrderId)}`;
  };
  const findRefund = async (order: OrderRef, refundKey: string, signal?: AbortSignal) => {
    const refunds = parseRefunds(await client.request('queryRefund', 'GET', `${chargePath(order, 'queryRefund')}/refunds?limit=100`, undefined, signal));
    return refunds.find((r) => refundKeyOf(r) === refundKey);
  };

  return {
    id: 'pingpp',
    queryOrder: async (order, signal) => mapCharge(await client.request('query', 'GET', chargePath(order, 'query'), undefined, signal), Date.now()),
    reverseOrder: async (order, signal) => mapReverse(await client.request('reverse', 'POST', `${chargePath(order, 'reverse')}/reverse`, {}, signal)),
    // Ping++ has no close: an unpaid charge is reversed, or expires at time_expire.
    closeOrder: async () => {
      throw notSupported('pingpp', 'closeOrder');
    },
    refundOrder: async (order, refund, signal) => {
      // Ping++ refunds are not idempotent (pingpp.md §7): look for our key before creating one.
      const existing = await findRefund(order, refund.refundKey, signal);
      if (existing && existing.status !== 'failed') {
        return { result: existing.status === 'succeeded' ? 'already' : 'accepted', providerCode: `status=${existing.status}`, refundId: existing.id };
      }
      if (existing) return { result: 'rejected', providerCode: 'status=failed', refundId: existing.id, message: existing.failure_msg ?? 'refund failed' };
      const body = { amount: refund.amount, description: (refund.reason ?? 'order cancelled').slice(0, 255), metadata: { refund_key: refund.refundKey } };
      return mapRefundCreated(await client.request('refund', 'POST', `${chargePath(order, 'refund')}/refunds`, body, signal));
    },
    queryRefund: async (order, refundKey, signal) => mapRefundObservation(await findRefund(order, refundKey, signal)),
  };
}

export { PINGPP_NOTICE_ACK, verifyPingppNotification } from './notification.js';
