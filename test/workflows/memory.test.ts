/** How the policy's memory changes after each provider call and operator retry, as a table: memory + event → memory. */
import type { Observation } from '../../domain/index.js';
import { afterCall, afterRetry, refundCheckSettled, refundSequenceAfterRetry, type CallAnswer, type CallEvent } from '../../workflows/memory.js';
import { freshMemory, type PolicyMemory, type RefundMemory } from '../../workflows/policy.js';

const mem = (m: Partial<PolicyMemory> = {}): PolicyMemory => ({ ...freshMemory(), ...m });
const writes = (close: number, reverse: number, refund: number): PolicyMemory['writes'] => ({ close, reverse, refund });
const refund = (status: RefundMemory['status'], extra: Partial<RefundMemory> = {}): RefundMemory => ({
  key: 'ORDER1-RF1',
  sequence: 1,
  amount: 1000,
  status,
  providerCode: 'X',
  checks: 0,
  ...extra,
});
const obs = (o: Partial<Observation> & { status: Observation['status'] }): Observation => ({ providerCode: 'code', ...o }) as Observation;
const ok = <T>(value: T): CallAnswer<T> => ({ ok: true, value });
const failed = (final: boolean): CallAnswer<never> => ({ ok: false, type: final ? 'request_rejected' : 'transient', message: 'boom', final });
const closeDone = { call: 'close', result: 'done', providerCode: '204' } as const;
const sent = { key: 'ORDER1-RF1', sequence: 1, amount: 1000 };

type Row = [string, PolicyMemory, CallEvent, PolicyMemory];

describe('afterCall: queryOrder', () => {
  it.each<Row>([
    ['unknown answers are counted', mem({ unknownStreak: 2 }), { call: 'queryOrder', observation: obs({ status: 'unknown', reason: 'bad signature' }) }, mem({ unknownStreak: 3 })],
    ['a trusted answer ends the unknown streak', mem({ unknownStreak: 2 }), { call: 'queryOrder', observation: obs({ status: 'unpaid' }) }, mem()],
    ['not_found answers are counted', mem({ notFoundStreak: 1 }), { call: 'queryOrder', observation: obs({ status: 'not_found' }) }, mem({ notFoundStreak: 2 })],
    ['any other answer ends the not_found streak', mem({ notFoundStreak: 1 }), { call: 'queryOrder', observation: obs({ status: 'paid' }) }, mem()],
    ['after a write, each query counts as a confirmation', mem({ lastWrite: closeDone, confirmStreak: 1 }), { call: 'queryOrder', observation: obs({ status: 'unpaid' }) }, mem({ lastWrite: closeDone, confirmStreak: 2 })],
    ['before any write, nothing is being confirmed', mem(), { call: 'queryOrder', observation: obs({ status: 'unpaid' }) }, mem()],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: close and reverse', () => {
  it.each<Row>([
    ['a close done', mem({ confirmStreak: 2 }), { call: 'close', answer: ok({ result: 'done', providerCode: '204' }) }, mem({ writes: writes(1, 0, 0), lastWrite: { ...closeDone, message: undefined } })],
    [
      'a reverse rejected',
      mem({ writes: writes(0, 1, 0) }),
      { call: 'reverse', answer: ok({ result: 'rejected', providerCode: '1297', message: 'paid' }) },
      mem({ writes: writes(0, 2, 0), lastWrite: { call: 'reverse', result: 'rejected', providerCode: '1297', message: 'paid' } }),
    ],
    ['a close already done', mem(), { call: 'close', answer: ok({ result: 'already', providerCode: 'ORDERCLOSED' }) }, mem({ writes: writes(1, 0, 0), lastWrite: { call: 'close', result: 'already', providerCode: 'ORDERCLOSED', message: undefined } })],
    ['a close that failed after its retries: the failure type is the code', mem(), { call: 'close', answer: failed(false) }, mem({ writes: writes(1, 0, 0), lastWrite: { call: 'close', result: 'failed', providerCode: 'transient', message: 'boom' } })],
    ['a reverse that cannot be retried', mem(), { call: 'reverse', answer: failed(true) }, mem({ writes: writes(0, 1, 0), lastWrite: { call: 'reverse', result: 'failed', providerCode: 'request_rejected', message: 'boom' } })],
    ['a write keeps the refund it knows', mem({ refund: refund('succeeded') }), { call: 'close', answer: ok({ result: 'done', providerCode: '204' }) }, mem({ writes: writes(1, 0, 0), lastWrite: { ...closeDone, message: undefined }, refund: refund('succeeded') })],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: refundOrder', () => {
  const lastRefund = (result: 'done' | 'rejected' | 'failed', providerCode: string, message?: string): PolicyMemory['lastWrite'] => ({ call: 'refund', result, providerCode, message });
  it.each<Row>([
    [
      'succeeded at once',
      mem({ confirmStreak: 1 }),
      { call: 'refundOrder', refund: sent, answer: ok({ result: 'succeeded', providerCode: 'SUCCESS', refundId: 'R9' }) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('done', 'SUCCESS'), refund: refund('succeeded', { providerCode: 'SUCCESS', refundId: 'R9' }) }),
    ],
    [
      'already refunded with this key counts as succeeded',
      mem(),
      { call: 'refundOrder', refund: sent, answer: ok({ result: 'already', providerCode: '1102' }) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('done', '1102'), refund: refund('succeeded', { providerCode: '1102', refundId: undefined }) }),
    ],
    [
      'accepted: processing until a check says otherwise',
      mem(),
      { call: 'refundOrder', refund: sent, answer: ok({ result: 'accepted', providerCode: 'PROCESSING', refundId: 'R9' }) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('done', 'PROCESSING'), refund: refund('processing', { providerCode: 'PROCESSING', refundId: 'R9' }) }),
    ],
    [
      'rejected: no refund exists',
      mem(),
      { call: 'refundOrder', refund: sent, answer: ok({ result: 'rejected', providerCode: 'NOTENOUGH', message: 'balance' }) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('rejected', 'NOTENOUGH', 'balance') }),
    ],
    [
      'failed after its retries: it may have landed, so it stays requested under its key',
      mem(),
      { call: 'refundOrder', refund: sent, answer: failed(false) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('failed', 'transient', 'boom'), refund: refund('requested', { providerCode: '' }) }),
    ],
    [
      'failed and cannot be retried: nothing was sent',
      mem(),
      { call: 'refundOrder', refund: sent, answer: failed(true) },
      mem({ writes: writes(0, 0, 1), lastWrite: lastRefund('failed', 'request_rejected', 'boom') }),
    ],
    [
      'a later key replaces the one before',
      mem({ writes: writes(0, 0, 1), refund: refund('failed') }),
      { call: 'refundOrder', refund: { key: 'ORDER1-RF2', sequence: 2, amount: 1000 }, answer: ok({ result: 'succeeded', providerCode: 'SUCCESS' }) },
      mem({ writes: writes(0, 0, 2), lastWrite: lastRefund('done', 'SUCCESS'), refund: refund('succeeded', { key: 'ORDER1-RF2', sequence: 2, providerCode: 'SUCCESS', refundId: undefined }) }),
    ],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: queryRefund', () => {
  it.each<Row>([
    ['succeeded: the refund is done', mem({ writes: writes(0, 0, 1), refund: refund('processing', { checks: 1 }), confirmStreak: 2 }), { call: 'queryRefund', answer: ok({ status: 'succeeded', providerCode: 'SUCCESS', refundId: 'R9' }) }, mem({ writes: writes(0, 0, 1), refund: refund('succeeded', { checks: 2, providerCode: 'SUCCESS', refundId: 'R9' }) })],
    ['still processing', mem({ refund: refund('requested') }), { call: 'queryRefund', answer: ok({ status: 'processing', providerCode: 'PROCESSING' }) }, mem({ refund: refund('processing', { checks: 1, providerCode: 'PROCESSING', refundId: undefined }) })],
    ['failed at the provider', mem({ refund: refund('processing', { refundId: 'R9' }) }), { call: 'queryRefund', answer: ok({ status: 'failed', providerCode: 'ABNORMAL' }) }, mem({ refund: refund('failed', { checks: 1, providerCode: 'ABNORMAL', refundId: 'R9' }) })],
    ['a refund id already known is kept when the answer has none', mem({ refund: refund('processing', { refundId: 'R9' }) }), { call: 'queryRefund', answer: ok({ status: 'processing', providerCode: 'P' }) }, mem({ refund: refund('processing', { checks: 1, providerCode: 'P', refundId: 'R9' }) })],
    [
      'a requested refund the provider never saw is forgotten: it may be sent again under the same key',
      mem({ writes: writes(0, 0, 1), refund: refund('requested') }),
      { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'RESOURCE_NOT_EXISTS' }) },
      mem({ writes: writes(0, 0, 0) }),
    ],
    ['the refund count never goes below zero', mem({ refund: refund('requested') }), { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'NF' }) }, mem()],
    ['not_found for a refund the provider accepted changes only the code', mem({ refund: refund('processing') }), { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'NF' }) }, mem({ refund: refund('processing', { checks: 1, providerCode: 'NF', refundId: undefined }) })],
    ['a check that failed still counts as a check', mem({ refund: refund('processing', { checks: 2 }) }), { call: 'queryRefund', answer: failed(false) }, mem({ refund: refund('processing', { checks: 3 }) })],
    ['no refund in memory: nothing to update', mem(), { call: 'queryRefund', answer: ok({ status: 'succeeded', providerCode: 'SUCCESS' }) }, mem()],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });

  it.each([
    ['a succeeded refund is settled: query the order', 'processing', 'succeeded', true],
    ['a requested refund the provider never saw is settled: query the order', 'requested', 'not_found', true],
    ['not_found for an accepted refund settles nothing', 'processing', 'not_found', false],
    ['a refund still processing settles nothing', 'requested', 'processing', false],
    ['a failed refund goes back to decide() without a query', 'processing', 'failed', false],
  ] as const)('refundCheckSettled: %s', (_name, before, status, settled) => {
    expect(refundCheckSettled(refund(before), { status, providerCode: 'X' })).toBe(settled);
  });

  it('never changes the memory it is given', () => {
    const before = mem({ writes: writes(0, 0, 1), refund: refund('requested') });
    const copy = structuredClone(before);
    afterCall(before, { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'NF' }) });
    afterCall(before, { call: 'refundOrder', refund: sent, answer: ok({ result: 'succeeded', providerCode: 'S' }) });
    afterCall(before, { call: 'close', answer: ok({ result: 'done', providerCode: 'S' }) });
    expect(before).toEqual(copy);
  });
});

describe('afterRetry: an operator retries', () => {
  const streaks = { unknownStreak: 5, notFoundStreak: 1, confirmStreak: 3, writes: writes(1, 2, 3) };
  it.each<[string, PolicyMemory, PolicyMemory]>([
    ['the counters start afresh', mem(streaks), mem()],
    ['a refund that may exist is kept, with its checks reset', mem({ ...streaks, refund: refund('processing', { checks: 9 }) }), mem({ refund: refund('processing') })],
    ['a succeeded refund is kept', mem({ refund: refund('succeeded', { checks: 2 }) }), mem({ refund: refund('succeeded') })],
    // The last write and a failed refund stay, so decide() sends a rejected or failed refund back to review.
    ['the last write is kept', mem({ ...streaks, lastWrite: { call: 'refund', result: 'rejected', providerCode: 'NOTENOUGH' } }), mem({ lastWrite: { call: 'refund', result: 'rejected', providerCode: 'NOTENOUGH' } })],
    ['a failed refund is kept as it is', mem({ ...streaks, refund: refund('failed', { checks: 4 }) }), mem({ refund: refund('failed', { checks: 4 }) })],
  ])('%s', (_name, before, after) => {
    expect(afterRetry(before)).toEqual(after);
  });

  it.each([
    ['no refund', mem(), 1, 1],
    ['a refund in flight keeps the sequence', mem({ refund: refund('processing', { sequence: 2 }) }), 2, 2],
    ['a failed refund used up its key: the next sequence', mem({ refund: refund('failed', { sequence: 2 }) }), 2, 3],
  ] as const)('refundSequenceAfterRetry: %s', (_name, before, current, next) => {
    expect(refundSequenceAfterRetry(before, current)).toBe(next);
  });
});
