/**
 * One workflow per order: observe → decide → act → confirm, until a final, verified outcome.
 *
 * The decisions live in policy.ts (pure); this file runs them durably: it calls the provider
 * activities on the provider's own task queue (rate-limited server-side), records what it saw,
 * exposes state to operators, waits for them when the policy asks for review, and continues as
 * new before history grows large.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { describeOutcome, NON_RETRYABLE_TYPES, type Observation, type OrderRef, type Outcome, refundKeyFor, type Stage } from '../domain/index.js';
import { getStateQuery, paymentNotifiedSignal, resolveReviewUpdate, type CallRecord, type CancellationRequest, type CancellationState, type ObservationRecord, type ReviewResolution } from './definitions.js';
import { decide, freshMemory, type PolicyMemory } from './policy.js';
import { PROVIDER_RULES, REVIEW_TIMEOUT_MS, withCadence } from './rules.js';
import { MerchantKey, OrderKey, OutcomeKey, ProviderKey, StageKey } from './search-attributes.js';
import { validateResolution } from './validation.js';

/** What a run hands to its continuation. */
export interface CarriedState {
  memory: PolicyMemory;
  observations: ObservationRecord[];
  calls: CallRecord[];
  totals: { observations: number; calls: number };
}

const KEEP_OBSERVATIONS = 20;
const KEEP_CALLS = 40;
/** Continue as new well before Temporal's own limits; a cancellation rarely gets near this. */
const MAX_HISTORY_EVENTS = 2_000;

export async function cancelOrder(request: CancellationRequest, carried?: CarriedState): Promise<Outcome> {
  const order = request.order;
  const rules = withCadence(PROVIDER_RULES[order.provider], request.cadence);
  const memory: PolicyMemory = carried?.memory ?? freshMemory();
  const state: CancellationState = {
    order,
    stage: 'querying',
    details: 'starting',
    observations: carried?.observations ?? [],
    calls: carried?.calls ?? [],
    totals: carried?.totals ?? { observations: 0, calls: 0 },
  };
  let notified = false;
  let nextRefundSequence = memory.refund?.sequence ?? 1;
  let resolution: ReviewResolution | undefined;

  setHandler(getStateQuery, () => state);
  setHandler(paymentNotifiedSignal, (signal) => {
    notified = true;
    record(state, { at: new Date().toISOString(), call: 'queryOrder', result: `notification received: ${signal.event}` }, false);
  });
  setHandler(
    resolveReviewUpdate,
    async (r) => {
      resolution = r;
      await condition(() => state.stage !== 'needs_review');
      return state;
    },
    {
      validator: (r) => {
        if (state.stage !== 'needs_review') throw new Error(`this cancellation is ${state.stage}, not waiting for review`);
        validateResolution(r);
      },
    },
  );

  upsertSearchAttributes([
    { key: ProviderKey, value: order.provider },
    { key: MerchantKey, value: order.merchantId },
    { key: OrderKey, value: order.orderId },
    { key: StageKey, value: 'querying' },
  ]);

  // Each provider's calls go to its own task queue, whose rate limit the worker sets.
  const taskQueue = `${workflowInfo().taskQueue}-${order.provider}`;
  const act = (summary: string, options: Partial<ActivityOptions> = {}) =>
    proxyActivities<Activities>({
      taskQueue,
      summary,
      startToCloseTimeout: '30s',
      scheduleToCloseTimeout: '30m',
      retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 25, nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
      ...options,
    });

  // "In progress" answers to a write (QFPay 1143/1145) are retried on the order's polling cadence.
  const writeOptions = { inProgressRetryMs: request.cadence?.payingPollIntervalMs };

  const setStage = (stage: Stage, details: string): void => {
    state.details = details;
    setCurrentDetails(`**${stage}**: ${details}`);
    if (stage === state.stage) return;
    state.stage = stage;
    upsertSearchAttributes([{ key: StageKey, value: stage }]);
  };

  /**
   * Query the provider. A failure that retrying cannot fix (configuration, our request rejected)
   * goes to review; after the operator's retry the query runs again.
   */
  const observe = async (): Promise<Observation> => {
    const poll = rules.payingPoll;
    for (;;) {
      setStage('querying', `querying ${order.provider} order ${order.orderId}`);
      const res = await write('queryOrder', () =>
        act(`query ${order.orderId}`, {
          scheduleToCloseTimeout: poll ? poll.budgetMs + 120_000 : '5m',
          retry: { initialInterval: '2s', maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE_TYPES },
        }).queryOrder({ order, pollWhilePaying: poll }),
      );
      if (!res.ok && res.final) {
        const outcome = await waitForReview(`query failed and cannot be retried: ${res.message}`);
        if (outcome) throw new Finished(outcome);
        continue;
      }
      const observation: Observation = res.ok ? res.value : { status: 'unknown', reason: res.message, providerCode: res.type };
      state.observations.push({ at: new Date().toISOString(), observation });
      state.totals.observations += 1;
      trim(state.observations, KEEP_OBSERVATIONS);
      if (res.ok) record(state, { at: new Date().toISOString(), call: 'queryOrder', result: `${observation.status} (${observation.providerCode})` });
      memory.unknownStreak = observation.status === 'unknown' ? memory.unknownStreak + 1 : 0;
      memory.notFoundStreak = observation.status === 'not_found' ? memory.notFoundStreak + 1 : 0;
      if (memory.lastWrite) memory.confirmStreak += 1;
      return observation;
    }
  };

  /** Run a write; a failure after all retries is recorded and handed back to the policy. */
  const write = async <T>(call: CallRecord['call'], run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; type: string; message: string; final: boolean }> => {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? 'error') : 'timeout';
      const message = cause?.message ?? err.message;
      record(state, { at: new Date().toISOString(), call, result: `failed: ${type}: ${message}` });
      return { ok: false, type, message, final: NON_RETRYABLE_TYPES.includes(type as never) };
    }
  };

  const waitForReview = async (reason: string): Promise<Outcome | undefined> => {
    state.review = { reason, since: new Date().toISOString() };
    setStage('needs_review', reason);
    upsertSearchAttributes([{ key: OutcomeKey, value: 'needs_review' }]);
    const resolved = await condition(() => resolution !== undefined, REVIEW_TIMEOUT_MS, { summary: 'waiting for an operator' });
    const r = resolution;
    resolution = undefined;
    state.review = undefined;
    upsertSearchAttributes([{ key: OutcomeKey, value: null }]);
    if (!resolved || !r) return { kind: 'needs_review', reason };
    record(state, { at: new Date().toISOString(), call: 'queryOrder', result: `operator ${r.operator ?? ''} chose ${r.action}${r.note ? `: ${r.note}` : ''}` }, false);
    if (r.action === 'mark_resolved') return { kind: 'resolved_by_operator', note: r.note, reviewReason: reason, operator: r.operator };
    // Retry: start the policy afresh, but never forget a refund that may exist.
    // A failed refund is final at the provider, so the next one needs the next key.
    const refund = memory.refund;
    Object.assign(memory, freshMemory());
    if (refund?.status === 'failed') nextRefundSequence = refund.sequence + 1;
    else if (refund) memory.refund = { ...refund, checks: 0 };
    return undefined;
  };

  try {
    return await runPolicy();
  } catch (err) {
    if (err instanceof Finished) return finish(err.outcome);
    throw err;
  }

  async function runPolicy(): Promise<Outcome> {
  let observation = await observe();
  for (;;) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS) {
      await continueAsNew<typeof cancelOrder>(request, { memory, observations: state.observations, calls: state.calls, totals: state.totals });
    }
    const action = decide(rules, order, observation, memory, Date.now());
    switch (action.type) {
      case 'wait': {
        setStage('waiting', action.why);
        notified = false;
        await condition(() => notified, action.ms, { summary: action.why });
        observation = await observe();
        break;
      }
      case 'close':
      case 'reverse': {
        const call = action.type === 'close' ? 'closeOrder' : 'reverseOrder';
        setStage(action.type === 'close' ? 'closing' : 'reversing', `${action.type} ${order.orderId}`);
        memory.writes[action.type] += 1;
        const res = await write(call, () => act(`${action.type} ${order.orderId}`)[call](order, writeOptions));
        if (res.ok) {
          record(state, { at: new Date().toISOString(), call, result: `${res.value.result} (${res.value.providerCode})` });
          memory.lastWrite = { call: action.type, result: res.value.result, providerCode: res.value.providerCode, message: res.value.message };
        } else {
          memory.lastWrite = { call: action.type, result: 'failed', providerCode: res.type, message: res.message };
          if (res.final) {
            const outcome = await waitForReview(`${action.type} failed and cannot be retried: ${res.message}`);
            if (outcome) return finish(outcome);
          }
        }
        memory.confirmStreak = 0;
        observation = await observe();
        break;
      }
      case 'refund': {
        const sequence = Math.max(action.sequence, nextRefundSequence);
        const refundKey = refundKeyFor(order, sequence);
        setStage('refunding', `refund ${action.amount} with key ${refundKey}`);
        memory.writes.refund += 1;
        memory.refund = { key: refundKey, sequence, amount: action.amount, status: 'requested', providerCode: '', checks: 0 };
        const res = await write('refundOrder', () =>
          act(`refund ${order.orderId}`).refundOrder(order, { refundKey, amount: action.amount, totalAmount: order.amount ?? action.amount, reason: request.reason }, writeOptions),
        );
        if (res.ok) {
          const r = res.value;
          record(state, { at: new Date().toISOString(), call: 'refundOrder', result: `${r.result} (${r.providerCode})` });
          memory.lastWrite = { call: 'refund', result: r.result === 'rejected' ? 'rejected' : 'done', providerCode: r.providerCode, message: r.message };
          if (r.result === 'rejected') memory.refund = undefined;
          else Object.assign(memory.refund, { status: r.result === 'accepted' ? 'processing' : 'succeeded', refundId: r.refundId, providerCode: r.providerCode });
        } else {
          // Unknown whether it landed: the policy asks the provider about this refund key next.
          memory.lastWrite = { call: 'refund', result: 'failed', providerCode: res.type, message: res.message };
          if (res.final) {
            memory.refund = undefined;
            const outcome = await waitForReview(`refund failed and cannot be retried: ${res.message}`);
            if (outcome) return finish(outcome);
            observation = await observe();
            break;
          }
        }
        memory.confirmStreak = 0;
        if (memory.refund?.status !== 'requested') observation = await observe();
        break;
      }
      case 'query_refund': {
        const refund = memory.refund!;
        if (action.afterMs > 0) {
          setStage('waiting', `refund ${refund.key} processing`);
          notified = false;
          await condition(() => notified, action.afterMs, { summary: `refund ${refund.key} processing` });
        }
        setStage('confirming', `asking about refund ${refund.key}`);
        refund.checks += 1;
        const res = await write('queryRefund', () => act(`query refund ${refund.key}`).queryRefund(order, refund.key));
        if (!res.ok) {
          if (res.final) {
            const outcome = await waitForReview(`refund ${refund.key} cannot be checked: ${res.message}`);
            if (outcome) return finish(outcome);
          }
          break;
        }
        const r = res.value;
        record(state, { at: new Date().toISOString(), call: 'queryRefund', result: `${r.status} (${r.providerCode})` });
        refund.providerCode = r.providerCode;
        refund.refundId = r.refundId ?? refund.refundId;
        if (r.status === 'succeeded') {
          refund.status = 'succeeded';
          memory.confirmStreak = 0;
          observation = await observe();
        } else if (r.status === 'failed') refund.status = 'failed';
        else if (r.status === 'processing') refund.status = 'processing';
        else if (refund.status === 'requested') {
          // The provider never saw the refund: sending it again with the same key is safe.
          memory.refund = undefined;
          memory.writes.refund = Math.max(0, memory.writes.refund - 1);
          observation = await observe();
        }
        break;
      }
      case 'review': {
        const outcome = await waitForReview(action.reason);
        if (outcome) return finish(outcome);
        observation = await observe();
        break;
      }
      case 'finish':
        return finish(action.outcome);
    }
  }
  }

  function finish(outcome: Outcome): Outcome {
    state.outcome = outcome;
    setStage('done', describeOutcome(outcome));
    upsertSearchAttributes([{ key: OutcomeKey, value: outcome.kind }]);
    return outcome;
  }
}

/** Thrown from deep inside the loop when an operator closes the case during a query failure. */
class Finished extends Error {
  constructor(readonly outcome: Outcome) {
    super(`finished: ${outcome.kind}`);
  }
}

function record(state: CancellationState, entry: CallRecord, countsAsCall = true): void {
  state.calls.push(entry);
  if (countsAsCall) state.totals.calls += 1;
  trim(state.calls, KEEP_CALLS);
}

function trim<T>(list: T[], keep: number): void {
  if (list.length > keep) list.splice(0, list.length - keep);
}


export type { OrderRef };
