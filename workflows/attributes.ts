/**
 * How a run writes its search attributes (Provider, Merchant, Order, Stage, Outcome) with as few
 * history events as possible and the same values at every moment. A "lean" run is one started by
 * Rescind's client with those attributes already set (CancellationRequest.attributesAtStart):
 *   - it does not upsert again what its start set (the client's values are the run's first ones);
 *   - a stage and the outcome that comes with it (done, needs_review) are one upsert, not two.
 * Runs started without the flag (older clients, a bare `workflow.start`) upsert as they always did,
 * so histories recorded before it replay unchanged. The flag is in the run's input, not a patch
 * marker: a patch would cost two events (its marker and core's TemporalChangeVersion upsert).
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CancellationRequest } from './definitions.js';
import { MerchantKey, OrderKey, ProviderKey, StageKey } from './search-attributes.js';

export const isLean = (request: CancellationRequest): boolean => request.attributesAtStart === true;

/**
 * The run's identity and first stage. A lean run upserts only what its start did not set to these
 * values: nothing for a fresh start, the stage alone in a run continued as new.
 */
export function upsertStartAttributes(request: CancellationRequest): void {
  const { order } = request;
  const wanted = [
    [ProviderKey, order.provider],
    [MerchantKey, order.merchantId],
    [OrderKey, order.orderId],
    [StageKey, 'querying'],
  ] as const;
  const atStart = workflowInfo().typedSearchAttributes;
  const missing: SearchAttributeUpdatePair[] = wanted
    .filter(([key, value]) => !isLean(request) || atStart.get(key) !== value)
    .map(([key, value]) => ({ key, value }));
  if (missing.length > 0) upsertSearchAttributes(missing);
}
