/** Every rule of the policy, as a table: observation + memory → action. */
import type { Observation, OrderRef, ProviderId } from '../../domain/index.js';
import {
  cancelCallFor,
  decide,
  freshMemory,
  whyNotReverse,
  type Action,
  type PolicyMemory,
} from '../../workflows/policy.js';
import { PROVIDER_RULES, withCadence } from '../../workflows/rules.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

const order = (provider: ProviderId, extra: Partial<OrderRef> = {}): OrderRef => ({
  provider,
  merchantId: 'm1',
  orderId: 'ORDER1',
  providerOrderId: 'P1',
  amount: 1000,
  createdAt: ago(60_000),
  ...extra,
});
const obs = (o: Partial<Observation> & { status: Observation['status'] }): Observation =>
  ({ providerCode: 'code', ...o }) as Observation;
const mem = (m: Partial<PolicyMemory> = {}): PolicyMemory => ({ ...freshMemory(), ...m });
const run = (provider: ProviderId, o: Observation, m: PolicyMemory = mem(), ord: OrderRef = order(provider)): Action =>
  decide(PROVIDER_RULES[provider], ord, o, m, NOW);

describe('policy: paid orders are refunded, never reversed as a shortcut', () => {
  it.each(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const)(
    '%s paid → refund the full amount with sequence 1',
    (p) => {
      expect(run(p, obs({ status: 'paid', amount: 1000 }))).toEqual({ type: 'refund', amount: 1000, sequence: 1 });
    },
  );
  it('uses the request amount when the provider gives none', () => {
    expect(run('qfpay', obs({ status: 'paid' }))).toEqual({ type: 'refund', amount: 1000, sequence: 1 });
  });
  it('asks for review when no amount is known', () => {
    expect(run('qfpay', obs({ status: 'paid' }), mem(), order('qfpay', { amount: undefined })).type).toBe('review');
  });
  it('asks for review past the WeChat one-year refund window', () => {
    const a = run('wechatpay', obs({ status: 'paid', amount: 1000, paidAt: ago(400 * DAY) }));
    expect(a).toMatchObject({ type: 'review', reason: expect.stringContaining('refund window') });
  });
  it('asks for review after the refund was rejected', () => {
    const m = mem({
      writes: { close: 0, reverse: 0, refund: 1 },
      lastWrite: { call: 'refund', result: 'rejected', providerCode: '1269' },
    });
    expect(run('qfpay', obs({ status: 'paid', amount: 1000 }), m)).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('1269'),
    });
  });
  it('asks for review after too many refund attempts', () => {
    const m = mem({ writes: { close: 0, reverse: 0, refund: 3 } });
    expect(run('qfpay', obs({ status: 'paid', amount: 1000 }), m).type).toBe('review');
  });
});

describe('policy: the refund rules say whether a partial refund may be sent', () => {
  // The order total in the request is 1000 (order() above); the provider reports what was paid.
  it.each([
    ['payjs', 1200, 'review'], // PAYJS refunds whole orders only
    ['payjs', 800, 'review'],
    ['payjs', 1000, 'refund'],
    ['qfpay', 800, 'refund'],
    ['wechatpay', 800, 'refund'],
    ['pingpp', 800, 'refund'],
  ] as const)('%s paid %s of a 1000 order → %s', (p, amount, type) => {
    expect(run(p, obs({ status: 'paid', amount })).type).toBe(type);
  });
  it('PAYJS: when the provider reports no amount, the request gives the whole order', () => {
    expect(run('payjs', obs({ status: 'paid' }))).toEqual({ type: 'refund', amount: 1000, sequence: 1 });
  });
  it('PAYJS without an order total in the request refunds what the provider says was paid', () => {
    expect(run('payjs', obs({ status: 'paid', amount: 1200 }), mem(), order('payjs', { amount: undefined }))).toEqual({
      type: 'refund',
      amount: 1200,
      sequence: 1,
    });
  });
  it('says why the refund was not sent', () => {
    expect(run('payjs', obs({ status: 'paid', amount: 1200 }))).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('payjs refunds whole orders only'),
    });
  });
});

describe('policy: refunds in flight', () => {
  const refund = (status: 'requested' | 'processing' | 'succeeded' | 'failed', checks = 0) => ({
    key: 'ORDER1-RF1',
    sequence: 1,
    amount: 1000,
    status,
    providerCode: 'X',
    checks,
  });
  it('asks about a requested refund at once, then on the provider cadence', () => {
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('requested') }))).toEqual({
      type: 'query_refund',
      afterMs: 0,
    });
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('processing', 1) }))).toEqual({
      type: 'query_refund',
      afterMs: 60_000,
    });
  });
  it('asks for review when a refund stays processing too long', () => {
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('processing', 30) })).type).toBe('review');
  });
  it('asks for review when the provider says the refund failed', () => {
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('failed') }))).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('new refund key'),
    });
  });
  it('finishes refunded once the query shows it', () => {
    const a = run(
      'wechatpay',
      obs({ status: 'refunded', refundedAmount: 1000, full: true }),
      mem({ refund: refund('succeeded') }),
    );
    expect(a).toEqual({
      type: 'finish',
      outcome: { kind: 'refunded', amount: 1000, refundKey: 'ORDER1-RF1', refundId: undefined, providerCode: 'X' },
    });
  });
  it('confirms when the query still shows paid after a verified refund, then asks for review', () => {
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('succeeded'), confirmStreak: 1 })).type).toBe(
      'wait',
    );
    expect(run('wechatpay', obs({ status: 'paid' }), mem({ refund: refund('succeeded'), confirmStreak: 3 })).type).toBe(
      'review',
    );
  });
  it('PAYJS: check cannot show refunds, so the verified refund answer finishes it', () => {
    expect(run('payjs', obs({ status: 'paid' }), mem({ refund: refund('succeeded') }))).toMatchObject({
      type: 'finish',
      outcome: { kind: 'refunded' },
    });
  });
  it('waits on a refund in progress that is ours', () => {
    expect(
      run('qfpay', obs({ status: 'refunding', refundedAmount: 0 }), mem({ refund: refund('succeeded') })).type,
    ).toBe('query_refund');
  });
});

describe('policy: unpaid orders are closed or reversed as the provider prescribes', () => {
  it.each([
    ['payjs', 'native', 'close'],
    ['payjs', 'micropay', 'reverse'],
    ['qfpay', '800208', 'reverse'], // WeChat CPM
    ['qfpay', '800108', 'reverse'], // Alipay CPM
    ['qfpay', '800201', 'close'], // WeChat MPM
    ['qfpay', '800101', 'reverse'], // Alipay MPM
    ['wechatpay', 'NATIVE', 'close'],
    ['wechatpay', 'MICROPAY', 'reverse'],
    ['pingpp', 'wx_pub_scan', 'reverse'],
    ['pingpp', 'alipay_qr', 'reverse'],
  ] as const)('%s %s unpaid → %s', (p, payType, call) => {
    expect(run(p, obs({ status: 'unpaid' }), mem(), order(p, { payType })).type).toBe(call);
  });
  it('QFPay FPS (802001) has no cancel call: the run waits out its payment window', () => {
    expect(cancelCallFor(PROVIDER_RULES.qfpay, order('qfpay', { payType: '802001' }))).toBeNull();
    expect(run('qfpay', obs({ status: 'unpaid' }), mem(), order('qfpay', { payType: '802001' })).type).toBe('wait');
  });
  it('Ping++ channel with no reverse: review', () => {
    expect(run('pingpp', obs({ status: 'unpaid' }), mem(), order('pingpp', { payType: 'bfb' })).type).toBe('review');
  });
  it('PAYJS close refused past 30 days', () => {
    const a = run(
      'payjs',
      obs({ status: 'unpaid' }),
      mem(),
      order('payjs', { payType: 'native', createdAt: ago(31 * DAY) }),
    );
    expect(a).toMatchObject({ type: 'review', reason: expect.stringContaining('close window') });
  });
  it('PAYJS close needs the creation time', () => {
    expect(
      run('payjs', obs({ status: 'unpaid' }), mem(), order('payjs', { payType: 'native', createdAt: undefined })).type,
    ).toBe('review');
  });
  it('reverse refused past the window (WeChat codepay, 8 days)', () => {
    const a = run(
      'wechatpay',
      obs({ status: 'unpaid' }),
      mem(),
      order('wechatpay', { payType: 'MICROPAY', createdAt: ago(8 * DAY) }),
    );
    expect(a).toMatchObject({ type: 'review', reason: expect.stringContaining('reversal window') });
  });
  it('confirms a close by query; finishes closed_unpaid when the query shows it closed', () => {
    const m = mem({
      writes: { close: 1, reverse: 0, refund: 0 },
      lastWrite: { call: 'close', result: 'done', providerCode: '204' },
      confirmStreak: 1,
    });
    expect(run('wechatpay', obs({ status: 'unpaid' }), m).type).toBe('wait');
    expect(run('wechatpay', obs({ status: 'closed', reason: 'closed' }), m)).toMatchObject({
      type: 'finish',
      outcome: { kind: 'closed_unpaid', via: 'close' },
    });
  });
  it('PAYJS: check cannot show closure, so a verified close answer finishes it', () => {
    const m = mem({
      writes: { close: 1, reverse: 0, refund: 0 },
      lastWrite: { call: 'close', result: 'done', providerCode: 'return_code=1' },
    });
    expect(run('payjs', obs({ status: 'unpaid' }), m, order('payjs', { payType: 'native' }))).toMatchObject({
      type: 'finish',
      outcome: { kind: 'closed_unpaid', via: 'close' },
    });
  });
  it('a close the provider keeps rejecting ends in review', () => {
    const m = mem({
      writes: { close: 3, reverse: 0, refund: 0 },
      lastWrite: { call: 'close', result: 'rejected', providerCode: '1297' },
    });
    expect(run('qfpay', obs({ status: 'unpaid' }), m, order('qfpay', { payType: '800201' })).type).toBe('review');
  });
});

describe('policy: paying orders (polled inside the query activity) are cancelled when the budget is spent', () => {
  it('QFPay CPM still 1143 after ~2 min → reversal', () => {
    expect(run('qfpay', obs({ status: 'paying' }), mem(), order('qfpay', { payType: '800208' })).type).toBe('reverse');
  });
  it('WeChat codepay USERPAYING after ~45 s → reverse', () => {
    expect(run('wechatpay', obs({ status: 'paying' }), mem(), order('wechatpay', { payType: 'MICROPAY' })).type).toBe(
      'reverse',
    );
  });
  it('polling cadence is data: QFPay 5 s for 2 min, WeChat 10 s for 45 s, none for PAYJS', () => {
    expect(PROVIDER_RULES.qfpay.payingPoll).toEqual({ intervalMs: 5_000, budgetMs: 120_000 });
    expect(PROVIDER_RULES.wechatpay.payingPoll).toEqual({ intervalMs: 10_000, budgetMs: 45_000 });
    expect(PROVIDER_RULES.payjs.payingPoll).toBeUndefined();
  });
});

describe('policy: unknown state — retried, then reverse as the last resort, only where documented and in the window', () => {
  const unknown = obs({ status: 'unknown', reason: 'bad signature' });
  it('retries unknown answers with backoff inside the budget', () => {
    expect(run('qfpay', unknown, mem({ unknownStreak: 1 }))).toMatchObject({ type: 'wait', ms: 5_000 });
    expect(run('qfpay', unknown, mem({ unknownStreak: 3 }))).toMatchObject({ type: 'wait', ms: 20_000 });
    expect(run('payjs', unknown, mem({ unknownStreak: 1 }))).toMatchObject({ type: 'wait', ms: 30_000 });
  });
  it('QFPay: reversal after the budget, inside the window', () => {
    expect(run('qfpay', unknown, mem({ unknownStreak: 5 }), order('qfpay', { payType: '800201' })).type).toBe(
      'reverse',
    );
  });
  it('QFPay: past the window → review', () => {
    expect(run('qfpay', unknown, mem({ unknownStreak: 5 }), order('qfpay', { createdAt: ago(2 * DAY) })).type).toBe(
      'review',
    );
  });
  it('WeChat: reverse only for codepay orders', () => {
    expect(run('wechatpay', unknown, mem({ unknownStreak: 5 }), order('wechatpay', { payType: 'MICROPAY' })).type).toBe(
      'reverse',
    );
    expect(
      run('wechatpay', unknown, mem({ unknownStreak: 5 }), order('wechatpay', { payType: 'NATIVE' })),
    ).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('only for pay types MICROPAY'),
    });
  });
  it('PAYJS micropay within 7 days → reverse; after 7 days → review', () => {
    expect(run('payjs', unknown, mem({ unknownStreak: 4 }), order('payjs', { payType: 'micropay' })).type).toBe(
      'reverse',
    );
    expect(
      run('payjs', unknown, mem({ unknownStreak: 4 }), order('payjs', { payType: 'micropay', createdAt: ago(8 * DAY) }))
        .type,
    ).toBe('review');
  });
  it('Ping++: reverse only for the scan channels', () => {
    expect(run('pingpp', unknown, mem({ unknownStreak: 5 }), order('pingpp', { payType: 'alipay_scan' })).type).toBe(
      'reverse',
    );
    expect(run('pingpp', unknown, mem({ unknownStreak: 5 }), order('pingpp', { payType: 'wx_pub' })).type).toBe(
      'review',
    );
  });
  it('reverse already tried too often → review', () => {
    expect(run('qfpay', unknown, mem({ unknownStreak: 5, writes: { close: 0, reverse: 3, refund: 0 } })).type).toBe(
      'review',
    );
  });
  it('a pay type named like an Object property ("toString", "constructor") finds no rule of its own', () => {
    for (const provider of ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const) {
      for (const payType of ['toString', 'constructor', '__proto__']) {
        const rules = PROVIDER_RULES[provider];
        expect(cancelCallFor(rules, order(provider, { payType }))).toEqual(rules.cancelCall.default);
      }
    }
    // Ping++ has no close call: an unknown channel is never sent one.
    expect(run('pingpp', obs({ status: 'unpaid' }), mem(), order('pingpp', { payType: 'toString' })).type).not.toBe(
      'close',
    );
  });
  it('whyNotReverse needs createdAt', () => {
    expect(whyNotReverse(PROVIDER_RULES.qfpay, order('qfpay', { createdAt: undefined }), NOW, false)).toContain(
      'createdAt',
    );
  });
});

describe('policy: final states', () => {
  it.each([
    [obs({ status: 'closed', reason: 'closed' }), { kind: 'already_closed', reason: 'closed' }],
    [obs({ status: 'closed', reason: 'expired' }), { kind: 'already_closed', reason: 'expired' }],
    [obs({ status: 'refunded', refundedAmount: 1000, full: true }), { kind: 'already_refunded', refundedAmount: 1000 }],
  ])('%j before we acted → %j', (o, outcome) => {
    expect(run('qfpay', o)).toMatchObject({ type: 'finish', outcome });
  });
  it('reversal of a paid order reports the money returned only when the provider says so', () => {
    const m = mem({
      writes: { close: 0, reverse: 1, refund: 0 },
      lastWrite: { call: 'reverse', result: 'done', providerCode: '0000' },
    });
    expect(run('pingpp', obs({ status: 'closed', reason: 'reversed', reversedAfterPayment: true }), m)).toMatchObject({
      type: 'finish',
      outcome: { kind: 'reversed', moneyReturned: true },
    });
    expect(run('pingpp', obs({ status: 'closed', reason: 'reversed' }), m)).toMatchObject({
      type: 'finish',
      outcome: { kind: 'closed_unpaid', via: 'reverse' },
    });
  });
  it('a refund of unknown size (WeChat trade_state=REFUND) that is not ours → review', () => {
    expect(run('wechatpay', obs({ status: 'refunded', refundedAmount: 0, full: false }))).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('does not say how much'),
    });
  });
  it('partially refunded by someone else → review', () => {
    expect(run('qfpay', obs({ status: 'refunded', refundedAmount: 500, full: false, amount: 1000 })).type).toBe(
      'review',
    );
  });
  it('a refund in progress we did not make → confirm, then review', () => {
    expect(run('qfpay', obs({ status: 'refunding', refundedAmount: 0 })).type).toBe('wait');
    expect(run('qfpay', obs({ status: 'refunding', refundedAmount: 0 }), mem({ confirmStreak: 3 })).type).toBe(
      'review',
    );
  });
  it('not found: asks once more, then finishes not_found', () => {
    expect(run('wechatpay', obs({ status: 'not_found' }), mem({ notFoundStreak: 1 })).type).toBe('wait');
    expect(run('wechatpay', obs({ status: 'not_found' }), mem({ notFoundStreak: 2 }))).toMatchObject({
      type: 'finish',
      outcome: { kind: 'not_found' },
    });
  });
});

describe('cadence override', () => {
  it('replaces only the timings given', () => {
    const r = withCadence(PROVIDER_RULES.qfpay, { unknownRetryDelayMs: 200, payingPollBudgetMs: 3_000 });
    expect(r.unknownRetry).toEqual({ attempts: 5, firstDelayMs: 200, maxDelayMs: 60_000 });
    expect(r.payingPoll).toEqual({ intervalMs: 5_000, budgetMs: 3_000 });
    expect(r.confirmDelayMs).toBe(PROVIDER_RULES.qfpay.confirmDelayMs);
    expect(withCadence(PROVIDER_RULES.payjs, { payingPollIntervalMs: 1 }).payingPoll).toBeUndefined();
  });
});
