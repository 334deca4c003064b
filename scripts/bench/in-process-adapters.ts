/**
 * Provider adapters that answer from memory, for `npm run bench` only: an order is unpaid until it
 * is closed or reversed. Rescind's workflow and activities run as always, but no request is signed,
 * sent or answered, so the benchmark can tell Rescind's own orchestration cost apart from the
 * providers' (the sandbox and the HTTP, signing and parsing on our side). Never used by a worker.
 */
import type { CancelResult, Observation, OrderRef, ProviderId } from '../../domain/index.js';
import type { ProviderAdapter } from '../../activities/providers/provider.js';

const PROVIDERS: ProviderId[] = ['payjs', 'qfpay', 'wechatpay', 'pingpp'];

export function inProcessAdapters(): Record<ProviderId, ProviderAdapter> {
  const closed = new Set<string>();
  const keyOf = (order: OrderRef) => `${order.provider}:${order.merchantId}:${order.orderId}`;
  const cancel = async (order: OrderRef): Promise<CancelResult> => {
    closed.add(keyOf(order));
    return { result: 'done', providerCode: 'in-process' };
  };
  const adapter = (id: ProviderId): ProviderAdapter => ({
    id,
    queryOrder: async (order): Promise<Observation> =>
      closed.has(keyOf(order))
        ? { status: 'closed', reason: 'closed', providerCode: 'in-process' }
        : { status: 'unpaid', providerCode: 'in-process' },
    closeOrder: cancel,
    reverseOrder: cancel,
    refundOrder: () => Promise.reject(new Error('the in-process adapters only cancel unpaid orders')),
    queryRefund: () => Promise.reject(new Error('the in-process adapters only cancel unpaid orders')),
  });
  return Object.fromEntries(PROVIDERS.map((id) => [id, adapter(id)])) as Record<ProviderId, ProviderAdapter>;
}
