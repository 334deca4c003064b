/** The bare workflow's activities: they do nothing, so a run costs only what Temporal itself costs. */
import type { Observation, OrderRef } from '../../domain/index.js';

export interface BareActivities {
  noop(): Promise<void>;
  /** Takes the order and returns an answer the size of a provider's, and does nothing else. */
  answer(order: OrderRef): Promise<Observation>;
}

export const bareActivities: BareActivities = {
  noop: async () => undefined,
  answer: async () => ({ status: 'unpaid', providerCode: 'NOTPAY' }),
};
