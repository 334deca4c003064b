/** How the policy's memory changes after each provider call and operator retry, as a table: memory + event → memory. */
import type { Observation } from '../../domain/index.js';
import {
  afterCall,
  afterRetry,
  afterRetryBeforeFix,
  refundCheckSettled,
  wokenQueryIsNews,
  wokenRefundCheckIsNews,
  type CallAnswer,
  type CallEvent,
} from '../../workflows/memory.js';
import {
  decide,
  freshMemory,
  refundSequenceFor,
  type PolicyMemory,
  type RefundMemory,
} from '../../workflows/policy.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';

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
const obs = (o: Partial<Observation> & { status: Observation['status'] }): Observation =>
  ({ providerCode: 'code', ...o }) as Observation;
const ok = <T>(value: T): CallAnswer<T> => ({ ok: true, value });
const failed = (final: boolean): CallAnswer<never> => ({
  ok: false,
  type: final ? 'request_rejected' : 'transient',
  message: 'boom',
  final,
});
const closeDone = { call: 'close', result: 'done', providerCode: '204' } as const;
const sent = { key: 'ORDER1-RF1', sequence: 1, amount: 1000 };

type Row = [string, PolicyMemory, CallEvent, PolicyMemory];

describe('afterCall: queryOrder', () => {
  it.each<Row>([
    [
      'unknown answers are counted',
      mem({ unknownStreak: 2 }),
      { call: 'queryOrder', observation: obs({ status: 'unknown', reason: 'bad signature' }) },
      mem({ unknownStreak: 3 }),
    ],
    [
      'a trusted answer ends the unknown streak',
      mem({ unknownStreak: 2 }),
      { call: 'queryOrder', observation: obs({ status: 'unpaid' }) },
      mem(),
    ],
    [
      'not_found answers are counted',
      mem({ notFoundStreak: 1 }),
      { call: 'queryOrder', observation: obs({ status: 'not_found' }) },
      mem({ notFoundStreak: 2 }),
    ],
    [
      'any other answer ends the not_found streak',
      mem({ notFoundStreak: 1 }),
      { call: 'queryOrder', observation: obs({ status: 'paid' }) },
      mem(),
    ],
    [
      'after a write, each query counts as a confirmation',
      mem({ lastWrite: closeDone, confirmStreak: 1 }),
      { call: 'queryOrder', observation: obs({ status: 'unpaid' }) },
      mem({ lastWrite: closeDone, confirmStreak: 2 }),
    ],
    [
      'before any write, nothing is being confirmed',
      mem(),
      { call: 'queryOrder', observation: obs({ status: 'unpaid' }) },
      mem(),
    ],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: close and reverse', () => {
  it.each<Row>([
    [
      'a close done',
      mem({ confirmStreak: 2 }),
      { call: 'close', answer: ok({ result: 'done', providerCode: '204' }) },
      mem({ writes: writes(1, 0, 0), lastWrite: { ...closeDone, message: undefined } }),
    ],
    [
      'a reverse rejected',
      mem({ writes: writes(0, 1, 0) }),
      { call: 'reverse', answer: ok({ result: 'rejected', providerCode: '1297', message: 'paid' }) },
      mem({
        writes: writes(0, 2, 0),
        lastWrite: { call: 'reverse', result: 'rejected', providerCode: '1297', message: 'paid' },
      }),
    ],
    [
      'a close already done',
      mem(),
      { call: 'close', answer: ok({ result: 'already', providerCode: 'ORDERCLOSED' }) },
      mem({
        writes: writes(1, 0, 0),
        lastWrite: { call: 'close', result: 'already', providerCode: 'ORDERCLOSED', message: undefined },
      }),
    ],
    [
      'a close that failed after its retries: the failure type is the code',
      mem(),
      { call: 'close', answer: failed(false) },
      mem({
        writes: writes(1, 0, 0),
        lastWrite: { call: 'close', result: 'failed', providerCode: 'transient', message: 'boom' },
      }),
    ],
    [
      'a reverse that cannot be retried',
      mem(),
      { call: 'reverse', answer: failed(true) },
      mem({
        writes: writes(0, 1, 0),
        lastWrite: { call: 'reverse', result: 'failed', providerCode: 'request_rejected', message: 'boom' },
      }),
    ],
    [
      'a write keeps the refund it knows',
      mem({ refund: refund('succeeded') }),
      { call: 'close', answer: ok({ result: 'done', providerCode: '204' }) },
      mem({ writes: writes(1, 0, 0), lastWrite: { ...closeDone, message: undefined }, refund: refund('succeeded') }),
    ],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: refundOrder', () => {
  const lastRefund = (
    result: 'done' | 'rejected' | 'failed',
    providerCode: string,
    message?: string,
  ): PolicyMemory['lastWrite'] => ({ call: 'refund', result, providerCode, message });
  it.each<Row>([
    [
      'succeeded at once',
      mem({ confirmStreak: 1 }),
      {
        call: 'refundOrder',
        refund: sent,
        answer: ok({ result: 'succeeded', providerCode: 'SUCCESS', refundId: 'R9' }),
      },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('done', 'SUCCESS'),
        refund: refund('succeeded', { providerCode: 'SUCCESS', refundId: 'R9' }),
        nextRefundSequence: 1,
      }),
    ],
    [
      'already refunded with this key counts as succeeded',
      mem(),
      { call: 'refundOrder', refund: sent, answer: ok({ result: 'already', providerCode: '1102' }) },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('done', '1102'),
        refund: refund('succeeded', { providerCode: '1102', refundId: undefined }),
        nextRefundSequence: 1,
      }),
    ],
    [
      'accepted: processing until a check says otherwise',
      mem(),
      {
        call: 'refundOrder',
        refund: sent,
        answer: ok({ result: 'accepted', providerCode: 'PROCESSING', refundId: 'R9' }),
      },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('done', 'PROCESSING'),
        refund: refund('processing', { providerCode: 'PROCESSING', refundId: 'R9' }),
        nextRefundSequence: 1,
      }),
    ],
    [
      'rejected: no refund exists, and the key is spent',
      mem(),
      {
        call: 'refundOrder',
        refund: sent,
        answer: ok({ result: 'rejected', providerCode: 'NOTENOUGH', message: 'balance' }),
      },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('rejected', 'NOTENOUGH', 'balance'),
        nextRefundSequence: 2,
      }),
    ],
    [
      'failed after its retries: it may have landed, so it stays requested under its key',
      mem(),
      { call: 'refundOrder', refund: sent, answer: failed(false) },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('failed', 'transient', 'boom'),
        refund: refund('requested', { providerCode: '' }),
        nextRefundSequence: 1,
      }),
    ],
    [
      'failed and cannot be retried: nothing was sent, and the key is not used again',
      mem(),
      { call: 'refundOrder', refund: sent, answer: failed(true) },
      mem({
        writes: writes(0, 0, 1),
        lastWrite: lastRefund('failed', 'request_rejected', 'boom'),
        nextRefundSequence: 2,
      }),
    ],
    [
      'a later key replaces the one before',
      mem({ writes: writes(0, 0, 1), refund: refund('failed'), nextRefundSequence: 2 }),
      {
        call: 'refundOrder',
        refund: { key: 'ORDER1-RF2', sequence: 2, amount: 1000 },
        answer: ok({ result: 'succeeded', providerCode: 'SUCCESS' }),
      },
      mem({
        writes: writes(0, 0, 2),
        lastWrite: lastRefund('done', 'SUCCESS'),
        refund: refund('succeeded', { key: 'ORDER1-RF2', sequence: 2, providerCode: 'SUCCESS', refundId: undefined }),
        nextRefundSequence: 2,
      }),
    ],
  ])('%s', (_name, before, event, after) => {
    expect(afterCall(before, event)).toEqual(after);
  });
});

describe('afterCall: queryRefund', () => {
  it.each<Row>([
    [
      'succeeded: the refund is done',
      mem({ writes: writes(0, 0, 1), refund: refund('processing', { checks: 1 }), confirmStreak: 2 }),
      { call: 'queryRefund', answer: ok({ status: 'succeeded', providerCode: 'SUCCESS', refundId: 'R9' }) },
      mem({
        writes: writes(0, 0, 1),
        refund: refund('succeeded', { checks: 2, providerCode: 'SUCCESS', refundId: 'R9' }),
      }),
    ],
    [
      'still processing',
      mem({ refund: refund('requested') }),
      { call: 'queryRefund', answer: ok({ status: 'processing', providerCode: 'PROCESSING' }) },
      mem({ refund: refund('processing', { checks: 1, providerCode: 'PROCESSING', refundId: undefined }) }),
    ],
    [
      'failed at the provider: its key is spent',
      mem({ refund: refund('processing', { refundId: 'R9' }), nextRefundSequence: 1 }),
      { call: 'queryRefund', answer: ok({ status: 'failed', providerCode: 'ABNORMAL' }) },
      mem({ refund: refund('failed', { checks: 1, providerCode: 'ABNORMAL', refundId: 'R9' }), nextRefundSequence: 2 }),
    ],
    [
      'a refund id already known is kept when the answer has none',
      mem({ refund: refund('processing', { refundId: 'R9' }) }),
      { call: 'queryRefund', answer: ok({ status: 'processing', providerCode: 'P' }) },
      mem({ refund: refund('processing', { checks: 1, providerCode: 'P', refundId: 'R9' }) }),
    ],
    [
      'a requested refund the provider never saw is forgotten: it is sent again under the same key',
      mem({
        writes: writes(0, 0, 1),
        refund: refund('requested', { key: 'ORDER1-RF2', sequence: 2 }),
        nextRefundSequence: 2,
      }),
      { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'RESOURCE_NOT_EXISTS' }) },
      mem({ writes: writes(0, 0, 0), nextRefundSequence: 2 }),
    ],
    [
      'the refund count never goes below zero',
      mem({ refund: refund('requested') }),
      { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'NF' }) },
      mem({ nextRefundSequence: 1 }),
    ],
    [
      'not_found for a refund the provider accepted changes only the code',
      mem({ refund: refund('processing') }),
      { call: 'queryRefund', answer: ok({ status: 'not_found', providerCode: 'NF' }) },
      mem({ refund: refund('processing', { checks: 1, providerCode: 'NF', refundId: undefined }) }),
    ],
    [
      'a check that failed still counts as a check',
      mem({ refund: refund('processing', { checks: 2 }) }),
      { call: 'queryRefund', answer: failed(false) },
      mem({ refund: refund('processing', { checks: 3 }) }),
    ],
    [
      'no refund in memory: nothing to update',
      mem(),
      { call: 'queryRefund', answer: ok({ status: 'succeeded', providerCode: 'SUCCESS' }) },
      mem(),
    ],
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
  const rejected = { call: 'refund', result: 'rejected', providerCode: 'NOT_ENOUGH' } as const;
  it.each<[string, PolicyMemory, PolicyMemory]>([
    ['the counters start afresh', mem(streaks), mem({ nextRefundSequence: 1 })],
    [
      'a refund that may exist is kept, with its checks reset',
      mem({ ...streaks, refund: refund('processing', { checks: 9 }) }),
      mem({ refund: refund('processing'), nextRefundSequence: 1 }),
    ],
    [
      'a requested refund (answer lost) is kept: it is asked about before anything is sent',
      mem({ refund: refund('requested', { checks: 10 }) }),
      mem({ refund: refund('requested'), nextRefundSequence: 1 }),
    ],
    [
      'a succeeded refund is kept',
      mem({ refund: refund('succeeded', { checks: 2 }) }),
      mem({ refund: refund('succeeded'), nextRefundSequence: 1 }),
    ],
    [
      'a rejected refund is forgotten; its key stays spent',
      mem({ ...streaks, lastWrite: rejected, nextRefundSequence: 2 }),
      mem({ nextRefundSequence: 2 }),
    ],
    [
      'a refund that failed at the provider is forgotten; its key stays spent',
      mem({
        ...streaks,
        lastWrite: { call: 'refund', result: 'done', providerCode: 'P' },
        refund: refund('failed', { checks: 4 }),
        nextRefundSequence: 2,
      }),
      mem({ nextRefundSequence: 2 }),
    ],
    [
      'a refund that could not be sent is forgotten',
      mem({ lastWrite: { call: 'refund', result: 'failed', providerCode: 'request_rejected' }, nextRefundSequence: 2 }),
      mem({ nextRefundSequence: 2 }),
    ],
    [
      'an accepted reverse is kept: it may have returned money',
      mem({ ...streaks, lastWrite: { call: 'reverse', result: 'done', providerCode: 'R' } }),
      mem({ lastWrite: { call: 'reverse', result: 'done', providerCode: 'R' }, nextRefundSequence: 1 }),
    ],
    [
      'an already-closed close is kept',
      mem({ lastWrite: { call: 'close', result: 'already', providerCode: 'C' } }),
      mem({ lastWrite: { call: 'close', result: 'already', providerCode: 'C' }, nextRefundSequence: 1 }),
    ],
    [
      'a rejected close is forgotten',
      mem({ lastWrite: { call: 'close', result: 'rejected', providerCode: 'C' } }),
      mem({ nextRefundSequence: 1 }),
    ],
    // Memory carried from a run before nextRefundSequence: such runs never sent a key past -RF1.
    ['older memory: a rejected refund spent -RF1', mem({ lastWrite: rejected }), mem({ nextRefundSequence: 2 })],
    [
      'older memory: a failed refund spent its key',
      mem({ refund: refund('failed', { sequence: 1 }) }),
      mem({ nextRefundSequence: 2 }),
    ],
  ])('%s', (_name, before, after) => {
    expect(afterRetry(before)).toEqual(after);
  });

  it('after a rejected refund and a retry, the policy refunds with the next key', () => {
    const rejectedOnce = afterCall(mem(), {
      call: 'refundOrder',
      refund: sent,
      answer: ok({ result: 'rejected', providerCode: 'NOT_ENOUGH' }),
    });
    const order = { provider: 'wechatpay', merchantId: 'm', orderId: 'ORDER1', amount: 1000 } as const;
    const paid = obs({ status: 'paid', amount: 1000 });
    expect(decide(PROVIDER_RULES.wechatpay, order, paid, rejectedOnce, 0)).toMatchObject({ type: 'review' });
    expect(decide(PROVIDER_RULES.wechatpay, order, paid, afterRetry(rejectedOnce), 0)).toEqual({
      type: 'refund',
      amount: 1000,
      sequence: 2,
    });
  });

  it('after a refund still processing and a retry, the policy asks about it before anything else', () => {
    const order = { provider: 'wechatpay', merchantId: 'm', orderId: 'ORDER1', amount: 1000 } as const;
    const processing = mem({
      writes: writes(0, 0, 1),
      refund: refund('processing', { checks: 30 }),
      nextRefundSequence: 1,
    });
    expect(
      decide(PROVIDER_RULES.wechatpay, order, obs({ status: 'paid', amount: 1000 }), afterRetry(processing), 0),
    ).toEqual({ type: 'query_refund', afterMs: 0 });
  });

  it('the next key survives continue-as-new: it is part of the carried memory', () => {
    const carried = structuredClone(afterRetry(mem({ lastWrite: rejected, nextRefundSequence: 3 })));
    expect(refundSequenceFor(carried)).toBe(3);
  });

  it.each<[string, PolicyMemory]>([
    ['the last write stays', mem({ ...streaks, lastWrite: rejected })],
    ['a failed refund stays as it is', mem({ ...streaks, refund: refund('failed', { checks: 4 }) })],
  ])('afterRetryBeforeFix (replays older histories only): %s', (_name, before) => {
    const { unknownStreak, notFoundStreak, confirmStreak, writes: w, ...kept } = afterRetryBeforeFix(before);
    expect({ unknownStreak, notFoundStreak, confirmStreak, writes: w }).toEqual(freshMemory());
    expect(kept).toEqual({ lastWrite: before.lastWrite, refund: before.refund });
  });
});

describe('refundSequenceFor: the sequence of the next refund key', () => {
  it.each<[string, PolicyMemory, number]>([
    ['a fresh run starts at 1', mem(), 1],
    ['the sequence the memory keeps', mem({ nextRefundSequence: 3, refund: refund('processing', { sequence: 3 }) }), 3],
    ['older memory: the refund in flight keeps its key', mem({ refund: refund('processing', { sequence: 2 }) }), 2],
    ['older memory: a failed refund used up its key', mem({ refund: refund('failed', { sequence: 2 }) }), 3],
    [
      'older memory: a rejected refund spent -RF1',
      mem({ lastWrite: { call: 'refund', result: 'rejected', providerCode: 'X' } }),
      2,
    ],
    [
      'older memory: a refund no retry could send spent -RF1',
      mem({ lastWrite: { call: 'refund', result: 'failed', providerCode: 'request_rejected' } }),
      2,
    ],
    [
      'older memory: a refund whose answer was lost and the provider never saw keeps -RF1',
      mem({ lastWrite: { call: 'refund', result: 'failed', providerCode: 'transient' } }),
      1,
    ],
  ])('%s', (_name, memory, sequence) => {
    expect(refundSequenceFor(memory)).toBe(sequence);
  });
});

describe('a look a notification brought forward counts only if it is news', () => {
  it.each<[string, Observation['status'], Observation['status'], boolean]>([
    [
      'waiting on an untrusted answer, another untrusted one is no news (the unknown budget stays)',
      'unknown',
      'unknown',
      false,
    ],
    ['waiting on an untrusted answer, a trusted "paid" is news', 'unknown', 'paid', true],
    ['waiting on an untrusted answer, a trusted "unpaid" is news', 'unknown', 'unpaid', true],
    ['confirming a close, "unpaid" again is no news (the confirm budget stays)', 'unpaid', 'unpaid', false],
    ['confirming a close, "closed" is news', 'unpaid', 'closed', true],
    ['confirming a close, an untrusted answer is no news', 'unpaid', 'unknown', false],
    ['not found yet, not found again is no news', 'not_found', 'not_found', false],
    ['not found yet, "paid" is news', 'not_found', 'paid', true],
    ['confirming a refund, "refunded" is news', 'paid', 'refunded', true],
  ])('%s', (_name, waitingOn, woken, news) => {
    expect(wokenQueryIsNews(obs({ status: waitingOn }), obs({ status: woken }))).toBe(news);
  });

  it.each<
    [
      string,
      RefundMemory['status'],
      CallAnswer<{ status: 'succeeded' | 'processing' | 'failed' | 'not_found'; providerCode: string }>,
      boolean,
    ]
  >([
    [
      'still processing is no news (the checks budget stays)',
      'processing',
      ok({ status: 'processing', providerCode: 'P' }),
      false,
    ],
    ['succeeded is news', 'processing', ok({ status: 'succeeded', providerCode: 'S' }), true],
    ['failed is news', 'processing', ok({ status: 'failed', providerCode: 'F' }), true],
    [
      'not found for a refund the provider accepted is no news',
      'processing',
      ok({ status: 'not_found', providerCode: 'NF' }),
      false,
    ],
    [
      'not found for a refund whose answer was lost is news: it is sent again',
      'requested',
      ok({ status: 'not_found', providerCode: 'NF' }),
      true,
    ],
    ['a check that failed is no news', 'processing', failed(false), false],
  ])('refund check: %s', (_name, status, answer, news) => {
    expect(wokenRefundCheckIsNews(refund(status), answer)).toBe(news);
  });
});
