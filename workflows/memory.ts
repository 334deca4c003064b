/**
 * How the policy's memory changes after each provider call and after an operator's retry: pure
 * functions beside decide(), so each rule is one row of a table test. The workflow runs the call,
 * then hands the answer here; decide() reads the result (docs/policy.md).
 */
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../domain/index.js';
import { freshMemory, type PolicyMemory, type RefundMemory } from './policy.js';
import type { CancelCall } from './rules.js';

/** A provider call's answer, or how it failed after all its retries (`final`: no retry can fix it). */
export type CallAnswer<T> = { ok: true; value: T } | { ok: false; type: string; message: string; final: boolean };

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

function afterRefund(memory: PolicyMemory, sent: Pick<RefundMemory, 'key' | 'sequence' | 'amount'>, answer: CallAnswer<RefundResult>): PolicyMemory {
  const writes = { ...memory.writes, refund: memory.writes.refund + 1 };
  const requested: RefundMemory = { ...sent, status: 'requested', providerCode: '', checks: 0 };
  if (!answer.ok) {
    const lastWrite = { call: 'refund' as const, result: 'failed' as const, providerCode: answer.type, message: answer.message };
    // Not final: it may have landed, so the policy asks about this key next. Final: nothing was sent.
    return { ...memory, writes, lastWrite, refund: answer.final ? undefined : requested, confirmStreak: 0 };
  }
  const r = answer.value;
  const lastWrite = { call: 'refund' as const, result: r.result === 'rejected' ? ('rejected' as const) : ('done' as const), providerCode: r.providerCode, message: r.message };
  const refund: RefundMemory | undefined =
    r.result === 'rejected' ? undefined : { ...requested, status: r.result === 'accepted' ? 'processing' : 'succeeded', refundId: r.refundId, providerCode: r.providerCode };
  return { ...memory, writes, lastWrite, refund, confirmStreak: 0 };
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
    case 'processing':
      return { ...memory, refund: { ...refund, status: r.status } };
    case 'not_found':
      if (before.status !== 'requested') return { ...memory, refund };
      // The provider never saw the refund: sending it again with the same key is safe.
      return { ...memory, refund: undefined, writes: { ...memory.writes, refund: Math.max(0, memory.writes.refund - 1) } };
  }
}

/** Whether the order is worth querying again after this refund check. */
export function refundCheckSettled(before: RefundMemory, answer: RefundObservation): boolean {
  return answer.status === 'succeeded' || (answer.status === 'not_found' && before.status === 'requested');
}

/**
 * An operator's retry: the counters start afresh. The last write and the refund stay (a refund
 * that may exist is never forgotten), so a rejected or failed refund comes back to review.
 */
export function afterRetry(memory: PolicyMemory): PolicyMemory {
  const refund = memory.refund;
  const again = { ...memory, ...freshMemory() };
  return refund && refund.status !== 'failed' ? { ...again, refund: { ...refund, checks: 0 } } : again;
}

/** The lowest refund sequence after an operator's retry: a refund that failed at the provider used up its key. */
export function refundSequenceAfterRetry(memory: PolicyMemory, current: number): number {
  return memory.refund?.status === 'failed' ? memory.refund.sequence + 1 : current;
}
