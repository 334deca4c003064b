/**
 * How a run writes its search attributes (Provider, Merchant, Order, Stage, Outcome) with as few
 * history events as possible and the same values at every moment. A "lean" run is one started by
 * Rescind's client with those attributes already set (CancellationRequest.attributesAtStart):
 *   - it does not upsert again what its start set (the client's values are the run's first ones);
 *   - a stage and the outcome that comes with it (done, needs_review) are one upsert, not two;
 *   - with stagesAtRest, RescindStage is written only when the run comes to rest (RESTING_STAGES) and
 *     when it leaves one. The working stages in between (query, close, refund, confirm) follow each
 *     other within moments; each upsert is a visibility write on the server (a short path's three
 *     were a third of the dev server's CPU per run), and an operator sees what a run is doing now in
 *     its current details and its state query. A run retrying one call shows the first working stage
 *     since its last rest.
 * Runs started without the flag (older clients, a bare `workflow.start`) upsert as they always did,
 * so histories recorded before it replay unchanged. The flag is in the run's input, not a patch
 * marker: a patch would cost two events (its marker and core's TemporalChangeVersion upsert).
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Stage } from '../domain/index.js';
import type { CancellationRequest } from './definitions.js';
import { MerchantKey, OrderKey, ProviderKey, StageKey } from './search-attributes.js';

export const isLean = (request: CancellationRequest): boolean => request.attributesAtStart === true;

/** A lean run that writes RescindStage only at its rests (the client sets both flags). */
export const writesRestsOnly = (request: CancellationRequest): boolean =>
  isLean(request) && request.stagesAtRest === true;

/** Stages a run stays in for more than a moment: a wait, a review, the end. */
export const RESTING_STAGES: readonly Stage[] = ['waiting', 'needs_review', 'done'];

/**
 * Whether a run that writes only its rests writes `next`, coming from `previous`, when the attribute
 * holds `written`: a rest, or the first stage after one, and only if it differs from what is written.
 */
export const writesStage = (previous: Stage, next: Stage, written: Stage): boolean =>
  next !== written && (RESTING_STAGES.includes(next) || RESTING_STAGES.includes(previous));

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
