/**
 * One function per policy action (docs/policy.md): each runs its provider call or timer, hands the
 * answer to afterCall(), and returns what the loop goes on with: the latest observation, or the
 * outcome when the run is over.
 */
import { condition, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { NON_RETRYABLE_TYPES, refundKeyFor, type Observation, type Outcome } from '../domain/index.js';
import { afterCall, afterRetry, afterRetryBeforeFix, refundCheckSettled } from './memory.js';
import type { Action } from './policy.js';
import { callProvider, provider, writeOptions } from './provider-calls.js';
import { REVIEW_TIMEOUT_MS } from './rules.js';
import { note, recordCall, recordObservation, setStage, type Run } from './run.js';
import { OutcomeKey } from './search-attributes.js';

/**
 * Patch id: histories recorded before the change replay the way they ran.
 * RETRY_PATCH: an operator's retry forgets a refused or failed refund and refunds with the next key.
 */
export const RETRY_PATCH = 'retry-forgets-refused-refund';

/** What the loop goes on with after a step. */
export type Next = { observation: Observation } | { outcome: Outcome };

/**
 * Query the provider. A failure that retrying cannot fix (configuration, our request rejected)
 * goes to review; after the operator's retry the query runs again.
 */
export async function query(run: Run): Promise<Next> {
  const { order } = run.request;
  const poll = run.rules.payingPoll;
  for (;;) {
    setStage(run, 'querying', `querying ${order.provider} order ${order.orderId}`);
    const answer = await callProvider(run, 'queryOrder', () =>
      provider(run, `query ${order.orderId}`, {
        scheduleToCloseTimeout: poll ? poll.budgetMs + 120_000 : '5m',
        retry: { initialInterval: '2s', maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
      }).queryOrder({ order, pollWhilePaying: poll }),
    );
    if (!answer.ok && answer.final) {
      const outcome = await review(run, `query failed and cannot be retried: ${answer.message}`);
      if (outcome) return { outcome };
      continue;
    }
    const observation: Observation = answer.ok ? answer.value : { status: 'unknown', reason: answer.message, providerCode: answer.type };
    recordObservation(run, observation);
    if (answer.ok) recordCall(run, 'queryOrder', `${observation.status} (${observation.providerCode})`);
    run.memory = afterCall(run.memory, { call: 'queryOrder', observation });
    return { observation };
  }
}

/** Wait for the policy's delay, or less if a provider notification arrives, then query. */
export async function wait(run: Run, action: Extract<Action, { type: 'wait' }>): Promise<Next> {
  setStage(run, 'waiting', action.why);
  await notificationOrTimeout(run, action.ms, action.why);
  return query(run);
}

export async function cancel(run: Run, call: 'close' | 'reverse'): Promise<Next> {
  const { order } = run.request;
  const activity = call === 'close' ? 'closeOrder' : 'reverseOrder';
  setStage(run, call === 'close' ? 'closing' : 'reversing', `${call} ${order.orderId}`);
  const answer = await callProvider(run, activity, () => provider(run, `${call} ${order.orderId}`)[activity](order, writeOptions(run)));
  if (answer.ok) recordCall(run, activity, `${answer.value.result} (${answer.value.providerCode})`);
  run.memory = afterCall(run.memory, { call, answer });
  if (!answer.ok && answer.final) {
    const outcome = await review(run, `${call} failed and cannot be retried: ${answer.message}`);
    if (outcome) return { outcome };
  }
  return query(run);
}

export async function refund(run: Run, action: Extract<Action, { type: 'refund' }>, observation: Observation): Promise<Next> {
  const { order, reason } = run.request;
  const { sequence } = action;
  const key = refundKeyFor(order, sequence);
  setStage(run, 'refunding', `refund ${action.amount} with key ${key}`);
  const request = { refundKey: key, amount: action.amount, totalAmount: order.amount ?? action.amount, reason };
  const answer = await callProvider(run, 'refundOrder', () => provider(run, `refund ${order.orderId}`).refundOrder(order, request, writeOptions(run)));
  if (answer.ok) recordCall(run, 'refundOrder', `${answer.value.result} (${answer.value.providerCode})`);
  run.memory = afterCall(run.memory, { call: 'refundOrder', refund: { key, sequence, amount: action.amount }, answer });
  if (!answer.ok && answer.final) {
    const outcome = await review(run, `refund failed and cannot be retried: ${answer.message}`);
    return outcome ? { outcome } : query(run);
  }
  // Unknown whether it landed: the policy asks the provider about this refund key next.
  if (run.memory.refund?.status === 'requested') return { observation };
  return query(run);
}

/** Ask the provider about our refund (after the policy's delay); query the order once it settles. */
export async function checkRefund(run: Run, action: Extract<Action, { type: 'query_refund' }>, observation: Observation): Promise<Next> {
  const { order } = run.request;
  const before = run.memory.refund!;
  if (action.afterMs > 0) {
    setStage(run, 'waiting', `refund ${before.key} processing`);
    await notificationOrTimeout(run, action.afterMs, `refund ${before.key} processing`);
  }
  setStage(run, 'confirming', `asking about refund ${before.key}`);
  const answer = await callProvider(run, 'queryRefund', () => provider(run, `query refund ${before.key}`).queryRefund(order, before.key));
  if (answer.ok) recordCall(run, 'queryRefund', `${answer.value.status} (${answer.value.providerCode})`);
  run.memory = afterCall(run.memory, { call: 'queryRefund', answer });
  if (!answer.ok) {
    const outcome = answer.final ? await review(run, `refund ${before.key} cannot be checked: ${answer.message}`) : undefined;
    return outcome ? { outcome } : { observation };
  }
  return refundCheckSettled(before, answer.value) ? query(run) : { observation };
}

/** Wait for an operator; after a retry the policy starts again from a fresh query. */
export async function reviewThenQuery(run: Run, reason: string): Promise<Next> {
  const outcome = await review(run, reason);
  return outcome ? { outcome } : query(run);
}

/**
 * Wait in needs_review for the operator's update. Returns the outcome when the case is closed (by
 * the operator, or unanswered for REVIEW_TIMEOUT_MS), or undefined after a retry.
 */
async function review(run: Run, reason: string): Promise<Outcome | undefined> {
  run.state.review = { reason, since: new Date().toISOString() };
  setStage(run, 'needs_review', reason);
  upsertSearchAttributes([{ key: OutcomeKey, value: 'needs_review' }]);
  const resolved = await condition(() => run.resolution !== undefined, REVIEW_TIMEOUT_MS, { summary: 'waiting for an operator' });
  const resolution = run.resolution;
  run.resolution = undefined;
  run.state.review = undefined;
  upsertSearchAttributes([{ key: OutcomeKey, value: null }]);
  if (!resolved || !resolution) return { kind: 'needs_review', reason };
  note(run, 'operator', `operator ${resolution.operator ?? ''} chose ${resolution.action}${resolution.note ? `: ${resolution.note}` : ''}`);
  if (resolution.action === 'mark_resolved') return { kind: 'resolved_by_operator', note: resolution.note, reviewReason: reason, operator: resolution.operator };
  run.memory = patched(RETRY_PATCH) ? afterRetry(run.memory) : afterRetryBeforeFix(run.memory);
  return undefined;
}

/** A timer a provider notification cuts short. */
async function notificationOrTimeout(run: Run, ms: number, summary: string): Promise<void> {
  run.notified = false;
  await condition(() => run.notified, ms, { summary });
}
