import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Outcome } from '../../domain/index.js';
// Type only: a client never loads workflow code.
import type { cancelOrder } from '../../workflows/cancel-order.js';
import {
  getStateQuery,
  resolveReviewUpdate,
  type CancellationState,
  type ReviewResolution,
} from '../../workflows/definitions.js';
import { parseReviewResolution } from '../request.js';
import { CancellationNotFoundError, ReviewRejectedError } from './errors.js';

/**
 * Resolve a run waiting in needs_review: `retry` runs the policy again from a fresh query;
 * `mark_resolved` closes the case with the operator's note. Returns the state after the update.
 * Throws RequestError (bad resolution), CancellationNotFoundError, or ReviewRejectedError when the
 * run is not in review, or when another resolution of the same review got there first.
 *
 * Every resolution of one review is sent with the same update id, so Temporal runs only the first
 * and hands its result to the others; a caller whose resolution was not the one applied is told
 * so, instead of being shown someone else's outcome as its own.
 */
export async function resolveReview(
  client: Client,
  workflowId: string,
  resolution: unknown,
): Promise<CancellationState> {
  const parsed = parseReviewResolution(resolution);
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  let runId: string;
  try {
    const description = await handle.describe();
    runId = description.runId;
    if (description.status.name !== 'RUNNING') throw await finished(handle, workflowId, description.status.name);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CancellationNotFoundError(workflowId);
    throw err;
  }
  const review = await client
    .withDeadline(Date.now() + 5_000, () => handle.query(getStateQuery))
    .then(
      (state) => state.review,
      () => undefined,
    );
  let state: CancellationState;
  try {
    state = await handle.executeUpdate(resolveReviewUpdate, {
      args: [parsed],
      ...(review ? { updateId: `resolve-review:${runId}:${review.since}` } : {}),
    });
  } catch (err) {
    // The run ended between the describe and the update: another resolution ended it.
    if (err instanceof WorkflowNotFoundError) throw await finished(handle, workflowId, 'COMPLETED');
    // The workflow's validator refused it, e.g. "this cancellation is querying, not waiting for review".
    if (err instanceof WorkflowUpdateFailedError)
      throw new ReviewRejectedError(workflowId, err.cause?.message ?? err.message);
    throw err;
  }
  if (!appliedHere(parsed, state))
    throw new ReviewRejectedError(workflowId, `this review was already resolved by someone else: ${resolvedBy(state)}`);
  return state;
}

/** Whether the state after the update is this resolution's doing (and not another caller's, deduplicated into ours). */
function appliedHere(resolution: ReviewResolution, state: CancellationState): boolean {
  const outcome = state.outcome;
  if (resolution.action === 'retry') return outcome?.kind !== 'resolved_by_operator';
  return (
    outcome?.kind === 'resolved_by_operator' &&
    outcome.note === resolution.note &&
    outcome.operator === resolution.operator
  );
}

const resolvedBy = (state: CancellationState): string =>
  state.outcome?.kind === 'resolved_by_operator'
    ? `marked resolved${state.outcome.operator ? ` by ${state.outcome.operator}` : ''}: ${state.outcome.note}`
    : `now ${state.stage}: ${state.details}`;

/** The refusal for a run that has finished, saying how when an operator already resolved it. */
async function finished(handle: WorkflowHandle, workflowId: string, status: string): Promise<ReviewRejectedError> {
  const outcome =
    status === 'COMPLETED' ? ((await handle.result().catch(() => undefined)) as Outcome | undefined) : undefined;
  const how =
    outcome?.kind === 'resolved_by_operator'
      ? `already resolved${outcome.operator ? ` by ${outcome.operator}` : ''}: ${outcome.note}`
      : status.toLowerCase();
  return new ReviewRejectedError(workflowId, `this cancellation has finished (${how}); there is nothing to resolve`);
}
