/** The "calls" contender's activities (scripts/bench/calls-workflow.ts): one adapter call each, nothing more. */
import type { CancelResult, Observation, OrderRef, ProviderId } from '../../domain/index.js';
import type { ProviderAdapter } from '../../activities/providers/provider.js';

export interface CallsActivities {
  query(order: OrderRef): Promise<Observation>;
  cancel(order: OrderRef, call: 'close' | 'reverse'): Promise<CancelResult>;
}

export function callsActivities(adapters: Partial<Record<ProviderId, ProviderAdapter>>): CallsActivities {
  const adapterOf = (order: OrderRef): ProviderAdapter => {
    const adapter = adapters[order.provider];
    if (!adapter) throw new Error(`the bench has no ${order.provider} adapter`);
    return adapter;
  };
  return {
    query: (order) => adapterOf(order).queryOrder(order),
    cancel: (order, call) =>
      call === 'close' ? adapterOf(order).closeOrder(order) : adapterOf(order).reverseOrder(order),
  };
}
