/**
 * Faults the real world produces — failed and forged answers, in-progress codes, responses lost
 * after the money moved — on a real dev server, with the sandbox ledger as the referee.
 */
import type { ProviderId } from '../../domain/index.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';
import { startStack, waitForState, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('unknown state: reverse as the last resort', () => {
  it('QFPay: queries keep failing → reversal inside the window, confirmed by a query', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1500, payType: '800208' });
    // Five untrusted answers spend the unknown budget (rules.ts: qfpay unknownRetry.attempts = 5).
    await stack.fault({ provider: 'qfpay', call: 'query', kind: 'bad_signature', count: 5 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'reverse' });
    const state = await stack.state(handle);
    expect(state.observations.slice(0, 5).map((o) => o.observation.status)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(state.calls.some((c) => c.call === 'reverseOrder')).toBe(true);
  });

  // Each provider's pay type for which it documents reverse on unknown state, and its window (rules.ts).
  const REVERSIBLE: [ProviderId, string, number][] = [
    ['payjs', 'micropay', 7],
    ['qfpay', '800108', 1],
    ['wechatpay', 'MICROPAY', 7],
    ['pingpp', 'wx_pub_scan', 7],
  ];

  it.each(REVERSIBLE)(
    '%s (%s): queries failing past the budget → reversed inside the %s-day window, then confirmed',
    async (provider, payType) => {
      const order = await stack.order({ provider, state: 'unpaid', amount: 1600, payType });
      const attempts = PROVIDER_RULES[provider].unknownRetry.attempts;
      await stack.fault({ provider, call: 'query', kind: 'http_500', count: attempts });
      const handle = await stack.cancel(order);
      expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'reverse' });
      const state = await stack.state(handle);
      expect(state.observations.slice(0, attempts).every((o) => o.observation.status === 'unknown')).toBe(true);
      // The reversal came only after the whole budget, and a trusted query followed it.
      const calls = state.calls.map((c) => c.call);
      expect(calls.indexOf('reverseOrder')).toBeGreaterThanOrEqual(0);
      expect(calls.lastIndexOf('queryOrder')).toBeGreaterThan(calls.indexOf('reverseOrder'));
      expect(await stack.ledgerFor(order.orderId)).toBeUndefined();
    },
  );

  it.each(REVERSIBLE)(
    '%s (%s): the same outside the %s-day window → needs_review, nothing reversed',
    async (provider, payType, days) => {
      const createdAt = new Date(Date.now() - (days + 1) * 86_400_000).toISOString();
      const order = await stack.order({ provider, state: 'unpaid', amount: 1700, payType, createdAt });
      await stack.fault({ provider, call: 'query', kind: 'http_500', count: 1_000 });
      const handle = await stack.cancel(order);
      const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
      expect(inReview.review?.reason).toContain('reversal window');
      expect(inReview.calls.some((c) => c.call === 'reverseOrder')).toBe(false);
      expect((await stack.sandbox.admin('GET', `/orders/${provider}/${order.orderId}`)).state).toBe('unpaid');
      await stack.sandbox.admin('DELETE', '/faults');
      await handle.terminate('test over');
    },
  );

  it('a forged answer saying "paid" is never acted on: no refund until a trusted answer', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'paid', amount: 900, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 2 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 900 });
    const state = await stack.state(handle);
    const statuses = state.observations.map((o) => o.observation.status);
    expect(statuses.slice(0, 3)).toEqual(['unknown', 'unknown', 'paid']);
    const firstRefund = state.calls.findIndex((c) => c.call === 'refundOrder');
    const firstTrusted = state.calls.findIndex((c) => c.call === 'queryOrder' && c.result.startsWith('paid'));
    expect(firstRefund).toBeGreaterThan(firstTrusted);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });
});

describe('QFPay reversal answering 1143/1145: polled by activity retries, O(1) history', () => {
  const reverseWithInProgress = async (n: number): Promise<number> => {
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 2000, payType: '800108' });
    if (n > 0)
      await stack.fault({ provider: 'qfpay', call: 'reverse', kind: 'in_progress', count: n, codes: ['1143', '1145'] });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'reverse' });
    return (await handle.describe()).historyLength;
  };

  it('converges, and the history length does not grow with the number of in-progress answers', async () => {
    const once = await reverseWithInProgress(1);
    const many = await reverseWithInProgress(6);
    expect(many).toBe(once);
  });
});

describe('refund applied but the response lost, then retried', () => {
  it.each([
    ['wechatpay', 'NATIVE'],
    ['qfpay', '800208'],
    ['pingpp', 'alipay_qr'],
    ['payjs', 'native'],
  ] as const)('%s: exactly one refund in the ledger', async (provider, payType) => {
    const order = await stack.order({ provider, state: 'paid', amount: 3300, payType });
    await stack.fault({ provider, call: 'refund', kind: 'applied_response_lost', count: 1 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 3300 });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({
      paid: 3300,
      returned: 3300,
      refundCount: 1,
      overReturned: false,
    });
  });

  it('a refund answered with a bad signature is retried, never doubled', async () => {
    const order = await stack.order({ provider: 'pingpp', state: 'paid', amount: 4100, payType: 'alipay_qr' });
    await stack.fault({ provider: 'pingpp', call: 'refund', kind: 'bad_signature', count: 1 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded' });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });
});

describe('transport faults are retried', () => {
  it.each(['http_500', 'reset', 'rate_limit'] as const)(
    'close answering %s once still closes the order',
    async (kind) => {
      const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 500, payType: 'NATIVE' });
      await stack.fault({ provider: 'wechatpay', call: 'close', kind, count: 1 });
      expect(await (await stack.cancel(order)).result()).toMatchObject({ kind: 'closed_unpaid', via: 'close' });
    },
  );
});
