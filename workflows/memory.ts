/**
 * How the policy's memory changes after each provider call and after an operator's retry, and
 * whether a look a notification brought forward counts at all: pure functions beside decide(), so
 * each rule is one row of a table test. The workflow runs the call, then hands the answer here;
 * decide() reads the result (docs/policy.md).
 */
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../domain/index.js';
import { freshMemory, refundSequenceFor, type PolicyMemory, type RefundMemory } from './policy.js';
import type { CancelCall } from './rules.js';

/**
 * A provider call's answer, or how it failed after all its retries (`final`: no retry can fix it;
 * `notSent`: it waited in the provider's task queue past its deadline, so no request left and the
 * failure says nothing about the order).
 */
export type CallAnswer<T> =
  { ok: true; value: T } | { ok: false; type: string; message: string; final: boolean; notSent?: true };

/** What just happened, as afterCall() needs it. */
export type CallEvent =
  | { call: 'queryOrder'; observation: Observation }
  | { call: CancelCall; answer: CallAnswer<CancelResult> }
  | { call: 'refundOrder'; refund: Pick<RefundMemory, 'key' | 'sequence' | 'amount'>; answer: CallAnswer<RefundResult> }
  | { call: 'queryRefund'; answer: CallAnswer<RefundObservation> };

/** The memory after a provider call. Never changes `memory` itself. */
export function afterCall(memory: PolicyMemory, event: CallEvent): PolicyMemory {
  switch (event.call) {
    case 'queryOrder':
      return afterQuery(memory, event.observation);
    case 'close':
    case 'reverse':
      return afterCancel(memory, event.call, event.answer);
    case 'refundOrder':
      return afterRefund(memory, event.refund, event.answer);
    case 'queryRefund':
      return afterRefundCheck(memory, event.answer);
  }
}

function afterQuery(memory: PolicyMemory, observation: Observation): PolicyMemory {
  return {
    ...memory,
    unknownStreak: observation.status === 'unknown' ? memory.unknownStreak + 1 : 0,
    notFoundStreak: observation.status === 'not_found' ? memory.notFoundStreak + 1 : 0,
    // Counts the queries that confirm the last write.
    confirmStreak: memory.lastWrite ? memory.confirmStreak + 1 : memory.confirmStreak,
  };
}

function afterCancel(memory: PolicyMemory, call: CancelCall, answer: CallAnswer<CancelResult>): PolicyMemory {
  return {
    ...memory,
    writes: { ...memory.writes, [call]: memory.writes[call] + 1 },
    lastWrite: answer.ok
      ? { call, result: answer.value.result, providerCode: answer.value.providerCode, message: answer.value.message }
      : { call, result: 'failed', providerCode: answer.type, message: answer.message },
    confirmStreak: 0,
  };
}

function afterRefund(
  memory: PolicyMemory,
  sent: Pick<RefundMemory, 'key' | 'sequence' | 'amount'>,
  answer: CallAnswer<RefundResult>,
): PolicyMemory {
  const writes = { ...memory.writes, refund: memory.writes.refund + 1 };
  const requested: RefundMemory = { ...sent, status: 'requested', providerCode: '', checks: 0 };
  // A key the provider refused, or that no retry could send, is spent; any other may name a refund.
  const spent = answer.ok ? answer.value.result === 'rejected' : answer.final;
  const nextRefundSequence = Math.max(memory.nextRefundSequence ?? 1, spent ? sent.sequence + 1 : sent.sequence);
  if (!answer.ok) {
    const lastWrite = {
      call: 'refund' as const,
      result: 'failed' as const,
      providerCode: answer.type,
      message: answer.message,
    };
    // Not final: it may have landed, so the policy asks about this key next. Final: nothing was sent.
    return {
      ...memory,
      writes,
      lastWrite,
      refund: answer.final ? undefined : requested,
      confirmStreak: 0,
      nextRefundSequence,
    };
  }
  const r = answer.value;
  const lastWrite = {
    call: 'refund' as const,
    result: r.result === 'rejected' ? ('rejected' as const) : ('done' as const),
    providerCode: r.providerCode,
    message: r.message,
  };
  const refund: RefundMemory | undefined =
    r.result === 'rejected'
      ? undefined
      : {
          ...requested,
          status: r.result === 'accepted' ? 'processing' : 'succeeded',
          refundId: r.refundId,
          providerCode: r.providerCode,
        };
  return { ...memory, writes, lastWrite, refund, confirmStreak: 0, nextRefundSequence };
}

function afterRefundCheck(memory: PolicyMemory, answer: CallAnswer<RefundObservation>): PolicyMemory {
  const before = memory.refund;
  if (!before) return memory;
  const checked: RefundMemory = { ...before, checks: before.checks + 1 };
  if (!answer.ok) return { ...memory, refund: checked };
  const r = answer.value;
  const refund: RefundMemory = { ...checked, providerCode: r.providerCode, refundId: r.refundId ?? before.refundId };
  switch (r.status) {
    case 'succeeded':
      return { ...memory, refund: { ...refund, status: 'succeeded' }, confirmStreak: 0 };
    case 'failed':
      // No money moved under this key, and it is spent: a retry uses the next one.
      return {
        ...memory,
        refund: { ...refund, status: 'failed' },
        nextRefundSequence: Math.max(memory.nextRefundSequence ?? 1, before.sequence + 1),
      };
    case 'processing':
      return { ...memory, refund: { ...refund, status: 'processing' } };
    case 'not_found':
      if (before.status !== 'requested') return { ...memory, refund };
      // The provider never saw the refund: it is sent again with the same key, so a late arrival cannot double it.
      return {
        ...memory,
        refund: undefined,
        writes: { ...memory.writes, refund: Math.max(0, memory.writes.refund - 1) },
        nextRefundSequence: before.sequence,
      };
  }
}

/** Whether the order is worth querying again after this refund check. */
export function refundCheckSettled(before: RefundMemory, answer: RefundObservation): boolean {
  return answer.status === 'succeeded' || (answer.status === 'not_found' && before.status === 'requested');
}

/**
 * An operator's retry: the counters start afresh. What may have moved money is never forgotten: a
 * refund that may exist (asked about before anything is written), an accepted close or reverse.
 * A refused or failed refund is forgotten, and its key stays spent, so the retry refunds with the next key.
 */
export function afterRetry(memory: PolicyMemory): PolicyMemory {
  const { refund, lastWrite } = memory;
  const again: PolicyMemory = { ...freshMemory(), nextRefundSequence: refundSequenceFor(memory) };
  const accepted =
    lastWrite && lastWrite.call !== 'refund' && (lastWrite.result === 'done' || lastWrite.result === 'already');
  if (accepted) again.lastWrite = lastWrite;
  if (refund && refund.status !== 'failed') again.refund = { ...refund, checks: 0 };
  return again;
}

/**
 * afterRetry() as it was before it forgot refused refunds: the last write and a failed refund stayed,
 * so the run went back to review. Kept only to replay histories recorded then (steps.ts, RETRY_PATCH).
 */
export function afterRetryBeforeFix(memory: PolicyMemory): PolicyMemory {
  const refund = memory.refund;
  const again = { ...memory, ...freshMemory() };
  return refund && refund.status !== 'failed' ? { ...again, refund: { ...refund, checks: 0 } } : again;
}

/**
 * A query a provider notification brought forward, inside a backoff step: news when its answer is
 * trusted and not the one the run is waiting on. Only news counts; otherwise the run forgets the
 * query and the step goes on to its end, so a wake-up never spends the policy's budget (docs/policy.md).
 */
export function wokenQueryIsNews(waitingOn: Observation, woken: Observation): boolean {
  return woken.status !== 'unknown' && woken.status !== waitingOn.status;
}

/** The same for a refund check a notification brought forward: news when it settles the refund or shows it failed. */
export function wokenRefundCheckIsNews(before: RefundMemory, answer: CallAnswer<RefundObservation>): boolean {
  return answer.ok && (answer.value.status === 'failed' || refundCheckSettled(before, answer.value));
}
