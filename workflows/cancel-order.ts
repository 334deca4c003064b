/**
 * One workflow per order: observe → decide → act → confirm, until a final, verified outcome.
 *
 * The decisions live in policy.ts and the memory they read in memory.ts (both pure); the steps
 * that run each decision durably live in steps.ts. This loop ties them together and continues as
 * new before history grows large.
 */
import { continueAsNew, patched } from '@temporalio/workflow';
import type { Observation, Outcome } from '../domain/index.js';
import type { CancellationRequest } from './definitions.js';
import { decide, type Action } from './policy.js';
import { carry, finish, historyIsLong, startRun, type CarriedState, type Run } from './run.js';
import { cancel, checkRefund, finishOrLookAgain, query, refund, reviewThenQuery, wait, type Next } from './steps.js';

/**
 * Patch id: a run acts on its first answer before it continues as new. Without it, a server that
 * suggests continuing within a query's events (its history-count or -size limit set low) had every
 * run query once and continue, and none ever acted. Asked only then, so other runs carry no marker.
 */
export const ACT_BEFORE_CONTINUE_PATCH = 'act-once-before-continuing';

export async function cancelOrder(request: CancellationRequest, carried?: CarriedState): Promise<Outcome> {
  const run = startRun(request, carried);
  let next = await query(run);
  let acted = false;
  while (!('outcome' in next)) {
    if (historyIsLong() && (acted || !patched(ACT_BEFORE_CONTINUE_PATCH)))
      await continueAsNew<typeof cancelOrder>(request, carry(run));
    const action = decide(run.rules, request.order, next.observation, run.memory, Date.now());
    next = await perform(run, action, next.observation);
    acted = true;
  }
  return finish(run, next.outcome);
}

/** Run one action of the policy. */
function perform(run: Run, action: Action, observation: Observation): Promise<Next> | Next {
  switch (action.type) {
    case 'wait':
      return wait(run, action, observation);
    case 'close':
    case 'reverse':
      return cancel(run, action.type);
    case 'refund':
      return refund(run, action, observation);
    case 'query_refund':
      return checkRefund(run, action, observation);
    case 'review':
      return reviewThenQuery(run, action.reason);
    case 'finish':
      return finishOrLookAgain(run, action.outcome);
  }
}
