// Over 250 lines: one small function per action of the loop, side by side so their history stays easy to compare.
/**
 * One function per policy action (docs/policy.md): each runs its provider call or timer, hands the
 * answer to afterCall(), and returns what the loop goes on with: the latest observation, or the
 * outcome when the run is over.
 */
import { condition, continueAsNew, patched, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import {
  NON_RETRYABLE_TYPES,
  refundKeyFor,
  type Observation,
  type Outcome,
  type RefundObservation,
} from '../domain/index.js';
import {
  afterCall,
  afterRetry,
  afterRetryBeforeFix,
  refundCheckSettled,
  wokenQueryIsNews,
  wokenRefundCheckIsNews,
  type CallAnswer,
} from './memory.js';
import { returnedNoMoney } from './notices.js';
import type { Action, RefundMemory } from './policy.js';
import { callProvider, provider, writeOptions } from './provider-calls.js';
import { REVIEW_TIMEOUT_MS } from './rules.js';
import type { cancelOrder } from './cancel-order.js';
import { carry, historyIsLong, note, recordCall, recordObservation, setStage, type Run } from './run.js';
import { OutcomeKey } from './search-attributes.js';

/**
 * Patch ids: histories recorded before each change replay the way they ran.
 * WAKE_PATCH: a notification's wake-up spends no budget and brings one look forward per backoff
 * step; a repeated notice wakes nothing. RETRY_PATCH: an operator's retry forgets a refused or
 * failed refund and refunds with the next key.
 */
export const WAKE_PATCH = 'notification-wake-keeps-backoff';
export const RETRY_PATCH = 'retry-forgets-refused-refund';

/**
 * Patch id: a run that received a verified "paid" notice does not end without money on a query that may lag the
 * notice (finishOrLookAgain). Asked only when that happens, so other runs carry no marker.
 */
export const PAID_NOTICE_PATCH = 'paid-notice-never-lost';
/**
 * Patch id: a refund answered "already refunded" on a provider whose query cannot show refunds ends
 * `already_refunded` (it was refunded before Rescind acted), not `refunded`. Asked only for that answer.
 */
export const ALREADY_REFUNDED_PATCH = 'already-refunded-answer-ends-already-refunded';
/** Patch id: a query not sent (timed out in the queue) is asked again (askOrder); asked only then. */
export const QUEUED_QUERY_PATCH = 'query-not-sent-is-asked-again';
/** How many more queries a paid notice gets before an operator is asked; the n-th after confirmDelayMs × 2^n. */
export const PAID_NOTICE_LOOKS = 3;

/** What the loop goes on with after a step. */
export type Next = { observation: Observation } | { outcome: Outcome };

/**
 * Query the provider. A failure that retrying cannot fix (configuration, our request rejected)
 * goes to review; after the operator's retry the query runs again.
 */
export async function query(run: Run): Promise<Next> {
  for (;;) {
    const answer = await askOrder(run, false);
    if (!answer.ok && answer.final) {
      const outcome = await review(run, `query failed and cannot be retried: ${answer.message}`);
      if (outcome) return { outcome };
      continue;
    }
    return takeInQuery(run, observationOf(answer));
  }
}

/**
 * Wait for the policy's delay, then query. A notification may bring one query forward; its answer
 * counts only if it is news (wokenQueryIsNews), so the policy's budget and backoff stay as they are.
 */
export async function wait(run: Run, action: Extract<Action, { type: 'wait' }>, waitingOn: Observation): Promise<Next> {
  setStage(run, 'waiting', action.why);
  const news = await backoffStep(run, action.ms, action.why, async (keepsBackoff) => {
    const answer = await askOrder(run, true);
    if (!answer.ok && answer.final) {
      return reviewThenQuery(run, `query failed and cannot be retried: ${answer.message}`);
    }
    const observation = observationOf(answer);
    if (keepsBackoff && !wokenQueryIsNews(waitingOn, observation)) {
      recordObservation(run, observation);
      setStage(run, 'waiting', action.why);
      return undefined;
    }
    return takeInQuery(run, observation);
  });
  return news ?? query(run);
}

/**
 * Ask the provider about the order and record the call; the caller decides whether the answer counts.
 * A query that was never sent (it waited in the provider's queue past its deadline) is asked again
 * at once rather than counted as an unknown answer (QUEUED_QUERY_PATCH).
 */
async function askOrder(run: Run, byNotification: boolean): Promise<CallAnswer<Observation>> {
  const { order } = run.request;
  const poll = run.rules.payingPoll;
  setStage(run, 'querying', `querying ${order.provider} order ${order.orderId}`);
  for (;;) {
    const answer = await callProvider(
      run,
      'queryOrder',
      () =>
        provider(run, `query ${order.orderId}`, {
          scheduleToCloseTimeout: poll ? poll.budgetMs + 120_000 : '5m',
          retry: { initialInterval: '2s', maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
        }).queryOrder({ order, pollWhilePaying: poll }),
      byNotification,
    );
    if (!answer.ok && answer.notSent && patched(QUEUED_QUERY_PATCH)) {
      // Deep backlogs can keep a query waiting for hours: a fresh run starts with the same query.
      if (historyIsLong()) await continueAsNew<typeof cancelOrder>(run.request, carry(run));
      continue;
    }
    if (answer.ok)
      recordCall(run, 'queryOrder', `${answer.value.status} (${answer.value.providerCode})`, byNotification);
    return answer;
  }
}

const observationOf = (answer: CallAnswer<Observation>): Observation =>
  answer.ok ? answer.value : { status: 'unknown', reason: answer.message, providerCode: answer.type };

/** The answer becomes the run's latest observation, and the policy's memory takes it in. */
function takeInQuery(run: Run, observation: Observation): Next {
  recordObservation(run, observation);
  run.memory = afterCall(run.memory, { call: 'queryOrder', observation });
  return { observation };
}

export async function cancel(run: Run, call: 'close' | 'reverse'): Promise<Next> {
  const { order } = run.request;
  const activity = call === 'close' ? 'closeOrder' : 'reverseOrder';
  setStage(run, call === 'close' ? 'closing' : 'reversing', `${call} ${order.orderId}`);
  const answer = await callProvider(run, activity, () =>
    provider(run, `${call} ${order.orderId}`)[activity](order, writeOptions(run)),
  );
  if (answer.ok) recordCall(run, activity, `${answer.value.result} (${answer.value.providerCode})`);
  run.memory = afterCall(run.memory, { call, answer });
  if (!answer.ok && answer.final) {
    const outcome = await review(run, `${call} failed and cannot be retried: ${answer.message}`);
    if (outcome) return { outcome };
  }
  return query(run);
}

export async function refund(
  run: Run,
  action: Extract<Action, { type: 'refund' }>,
  observation: Observation,
): Promise<Next> {
  const { order, reason } = run.request;
  const { sequence } = action;
  const key = refundKeyFor(order, sequence);
  setStage(run, 'refunding', `refund ${action.amount} with key ${key}`);
  const request = { refundKey: key, amount: action.amount, totalAmount: order.amount ?? action.amount, reason };
  const firstRefund = run.memory.writes.refund === 0;
  const answer = await callProvider(run, 'refundOrder', () =>
    provider(run, `refund ${order.orderId}`).refundOrder(order, request, writeOptions(run)),
  );
  if (answer.ok) recordCall(run, 'refundOrder', `${answer.value.result} (${answer.value.providerCode})`);
  run.memory = afterCall(run.memory, { call: 'refundOrder', refund: { key, sequence, amount: action.amount }, answer });
  // A provider whose query cannot show refunds (PAYJS) says so only here: "already refunded" to the run's first
  // refund, in the call's first attempt (the adapter reads a retry's as ours), was refunded before Rescind acted.
  if (
    answer.ok &&
    answer.value.result === 'already' &&
    firstRefund &&
    !run.rules.queryShowsRefunds &&
    patched(ALREADY_REFUNDED_PATCH)
  ) {
    const { providerCode } = answer.value;
    return { outcome: { kind: 'already_refunded', refundedAmount: action.amount, providerCode } };
  }
  if (!answer.ok && answer.final) {
    const outcome = await review(run, `refund failed and cannot be retried: ${answer.message}`);
    return outcome ? { outcome } : query(run);
  }
  // Unknown whether it landed: the policy asks the provider about this refund key next.
  if (run.memory.refund?.status === 'requested') return { observation };
  return query(run);
}

/**
 * Ask the provider about our refund (after the policy's delay); query the order once it settles. A
 * notification may bring one check forward; it counts only if it is news (wokenRefundCheckIsNews).
 */
export async function checkRefund(
  run: Run,
  action: Extract<Action, { type: 'query_refund' }>,
  observation: Observation,
): Promise<Next> {
  const before = run.memory.refund!;
  if (action.afterMs > 0) {
    const why = `refund ${before.key} processing`;
    setStage(run, 'waiting', why);
    const news = await backoffStep(run, action.afterMs, why, async (keepsBackoff) => {
      const answer = await askRefund(run, before.key, true);
      const counts = wokenRefundCheckIsNews(before, answer) || (!answer.ok && answer.final);
      if (keepsBackoff && !counts) {
        setStage(run, 'waiting', why);
        return undefined;
      }
      return takeInRefundCheck(run, before, answer, observation);
    });
    if (news) return news;
  }
  return takeInRefundCheck(run, before, await askRefund(run, before.key, false), observation);
}

async function askRefund(run: Run, key: string, byNotification: boolean): Promise<CallAnswer<RefundObservation>> {
  const { order } = run.request;
  setStage(run, 'confirming', `asking about refund ${key}`);
  const answer = await callProvider(
    run,
    'queryRefund',
    () => provider(run, `query refund ${key}`).queryRefund(order, key),
    byNotification,
  );
  if (answer.ok) {
    recordCall(run, 'queryRefund', `${answer.value.status} (${answer.value.providerCode})`, byNotification);
  }
  return answer;
}

async function takeInRefundCheck(
  run: Run,
  before: RefundMemory,
  answer: CallAnswer<RefundObservation>,
  observation: Observation,
): Promise<Next> {
  run.memory = afterCall(run.memory, { call: 'queryRefund', answer });
  if (!answer.ok) {
    const outcome = answer.final
      ? await review(run, `refund ${before.key} cannot be checked: ${answer.message}`)
      : undefined;
    return outcome ? { outcome } : { observation };
  }
  return refundCheckSettled(before, answer.value) ? query(run) : { observation };
}

/**
 * The policy's outcome, unless it returned no money although this run received a verified "paid" notice: the
 * provider's query may lag its notification, and the acknowledged notice is delivered nowhere else. Then ask
 * again with backoff; if the provider still shows no payment, an operator decides (docs/policy.md, "Late payments").
 */
export async function finishOrLookAgain(run: Run, outcome: Outcome): Promise<Next> {
  const notice = run.paidNotice;
  if (!notice || !returnedNoMoney(outcome) || !patched(PAID_NOTICE_PATCH)) return { outcome };
  const heard = `a verified "paid" notification (${notice.id ? `notice ${notice.id}, ` : ''}received ${notice.receivedAt})`;
  const { provider: name } = run.request.order;
  if (run.paidNoticeLooks < PAID_NOTICE_LOOKS) {
    const why = `${heard} arrived, but ${name} shows ${outcome.kind}: asking again before ending`;
    setStage(run, 'waiting', why);
    await sleep(run.rules.confirmDelayMs * 2 ** run.paidNoticeLooks, { summary: 'a paid notice: asking again' });
    run.paidNoticeLooks += 1;
    return query(run);
  }
  run.paidNoticeLooks = 0;
  return reviewThenQuery(
    run,
    `${heard} arrived during this cancellation, but after ${PAID_NOTICE_LOOKS} more queries ${name} still shows ${outcome.kind}: check the payment in the merchant platform; if it was paid, retry (Rescind refunds what it finds paid) or refund it there and mark resolved; if not, mark resolved`,
  );
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
  setStage(run, 'needs_review', reason, [{ key: OutcomeKey, value: 'needs_review' }]);
  const resolved = await condition(() => run.resolution !== undefined, REVIEW_TIMEOUT_MS, {
    summary: 'waiting for an operator',
  });
  const resolution = run.resolution;
  run.resolution = undefined;
  run.state.review = undefined;
  upsertSearchAttributes([{ key: OutcomeKey, value: null }]);
  if (!resolved || !resolution) return { kind: 'needs_review', reason };
  note(
    run,
    'operator',
    `operator ${resolution.operator ?? ''} chose ${resolution.action}${resolution.note ? `: ${resolution.note}` : ''}`,
  );
  if (resolution.action === 'mark_resolved') {
    return { kind: 'resolved_by_operator', note: resolution.note, reviewReason: reason, operator: resolution.operator };
  }
  run.memory = patched(RETRY_PATCH) ? afterRetry(run.memory) : afterRetryBeforeFix(run.memory);
  return undefined;
}

/**
 * One backoff step of `ms`. A new notice may bring one look forward (`look` judges its answer): news
 * ends the step with it; otherwise the step runs to its end, and later notices in it wake nothing.
 * Histories recorded before WAKE_PATCH replay as they ran: every wake-up, repeats too, ended the step.
 */
async function backoffStep(
  run: Run,
  ms: number,
  summary: string,
  look: (keepsBackoff: boolean) => Promise<Next | undefined>,
): Promise<Next | undefined> {
  const keepsBackoff = patched(WAKE_PATCH);
  const end = Date.now() + ms;
  run.notified = false;
  run.notifiedAgain = false;
  const woken = await condition(() => run.notified || (!keepsBackoff && run.notifiedAgain), ms, { summary });
  if (!woken) return undefined;
  const news = await look(keepsBackoff);
  if (news !== undefined || !keepsBackoff) return news;
  const rest = end - Date.now();
  if (rest > 0) await sleep(rest, { summary: `${summary} (rest of the step)` });
  return undefined;
}
