/**
 * One workflow per order: observe → decide → act → confirm, until a final, verified outcome.
 *
 * The decisions live in policy.ts and the memory they read in memory.ts (both pure); the steps
 * that run each decision durably live in steps.ts. This loop ties them together and continues as
 * new before history grows large.
 */
import { continueAsNew } from '@temporalio/workflow';
import type { Observation, Outcome } from '../domain/index.js';
import type { CancellationRequest } from './definitions.js';
import { decide, type Action } from './policy.js';
import { carry, finish, historyIsLong, startRun, type CarriedState, type Run } from './run.js';
import { cancel, checkRefund, finishOrLookAgain, query, refund, reviewThenQuery, wait, type Next } from './steps.js';

export async function cancelOrder(request: CancellationRequest, carried?: CarriedState): Promise<Outcome> {
  const run = startRun(request, carried);
  let next = await query(run);
  while (!('outcome' in next)) {
    if (historyIsLong()) await continueAsNew<typeof cancelOrder>(request, carry(run));
    const action = decide(run.rules, request.order, next.observation, run.memory, Date.now());
    next = await perform(run, action, next.observation);
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
