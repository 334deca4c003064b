/**
 * The main paths of the cancellation workflow, per provider, on a real Temporal dev server with
 * the real workers and the sandbox over HTTP. The sandbox ledger is the referee for money.
 */
import type { Outcome, ProviderId } from '../../domain/index.js';
import { FAST, startStack, waitForState, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const UNPAID: [ProviderId, string, Outcome['kind'], string][] = [
  ['payjs', 'native', 'closed_unpaid', 'close'],
  ['qfpay', '800201', 'closed_unpaid', 'close'],
  ['wechatpay', 'NATIVE', 'closed_unpaid', 'close'],
  ['pingpp', 'wx_pub_scan', 'closed_unpaid', 'reverse'],
];

describe('unpaid → closed', () => {
  it.each(UNPAID)('%s (%s) ends %s via %s, and no money moves', async (provider, payType, kind, via) => {
    const order = await stack.order({ provider, state: 'unpaid', amount: 1234, payType });
    const outcome = await (await stack.cancel(order)).result();
    expect(outcome).toMatchObject({ kind, via });
    const sandboxOrder = await stack.sandbox.admin('GET', `/orders/${provider}/${order.orderId}`);
    expect(['closed', 'reversed']).toContain(sandboxOrder.state);
    expect(await stack.ledgerFor(order.orderId)).toBeUndefined();
  });
});

describe('paid → refunded exactly once', () => {
  it.each([
    ['payjs', 'native'],
    ['qfpay', '800208'],
    ['wechatpay', 'NATIVE'],
    ['pingpp', 'alipay_qr'],
  ] as const)('%s (%s)', async (provider, payType) => {
    const order = await stack.order({ provider, state: 'paid', amount: 2500, payType });
    const handle = await stack.cancel(order);
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ kind: 'refunded', amount: 2500, refundKey: `${order.orderId}-RF1` });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({
      paid: 2500,
      returned: 2500,
      refundCount: 1,
      overReturned: false,
    });
    const state = await stack.state(handle);
    expect(state.stage).toBe('done');
    expect(state.calls.filter((c) => c.call === 'refundOrder')).toHaveLength(1);
  });
});

describe('refunds the provider allows', () => {
  it('PAYJS refunds whole orders only: a refund that would be partial goes to review, and nothing is sent', async () => {
    const order = await stack.order({ provider: 'payjs', state: 'paid', amount: 1200, payType: 'native' });
    // The request says the order is 1000, PAYJS says 1200 was paid.
    const handle = await stack.cancel({ ...order, amount: 1000 });
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain('payjs refunds whole orders only');
    expect(inReview.calls.map((c) => c.call)).toEqual(['queryOrder']);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ paid: 1200, returned: 0, refundCount: 0 });
    await handle.terminate('test over');
  });
});

describe('paying → polled → final', () => {
  it('QFPay CPM answering 1143 while the customer enters the password, then paid → refunded', async () => {
    const order = await stack.order({
      provider: 'qfpay',
      state: 'paying',
      amount: 990,
      payType: '800208',
      payingQueries: 3,
      thenState: 'paid',
    });
    // A budget no loaded machine spends in three polls: this test is about polling, not the budget.
    const handle = await stack.cancel(order, { cadence: { ...FAST, payingPollBudgetMs: 60_000 } });
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 990 });
    // The polling happened inside one query activity: the first observation is already "paid".
    const state = await stack.state(handle);
    expect(state.observations[0]?.observation.status).toBe('paid');
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });

  it('QFPay 1143 on an order created before the budget was spent is cancelled at once, not polled', async () => {
    // Polled, this order would turn paid on the fourth query; its budget ran from its creation.
    const createdAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const order = await stack.order({
      provider: 'qfpay',
      state: 'paying',
      amount: 990,
      payType: '800208',
      payingQueries: 3,
      thenState: 'paid',
      createdAt,
    });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'reverse' });
    const state = await stack.state(handle);
    expect(state.observations[0]?.observation).toMatchObject({
      status: 'paying',
      providerCode: 'respcd=1145,cancel=0',
    });
    expect(await stack.ledgerFor(order.orderId)).toBeUndefined();
  });

  it('WeChat codepay USERPAYING past the budget → reversed', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'paying', amount: 1800, payType: 'MICROPAY' });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'reverse' });
    const state = await stack.state(handle);
    expect(state.observations[0]?.observation.status).toBe('paying');
  });
});

describe('already final', () => {
  it.each([
    ['qfpay', 'closed', '800201', 'already_closed'],
    ['wechatpay', 'closed', 'NATIVE', 'already_closed'],
    ['qfpay', 'refunded', '800201', 'already_refunded'],
    ['pingpp', 'refunded', 'alipay_qr', 'already_refunded'],
  ] as const)('%s %s order → %s without any write', async (provider, state, payType, kind) => {
    const order = await stack.order({ provider, state, amount: 700, payType });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind });
    const calls = (await stack.state(handle)).calls.map((c) => c.call);
    expect(calls.every((c) => c === 'queryOrder')).toBe(true);
  });

  it('an order the provider has never seen → not_found', async () => {
    const handle = await stack.cancel({
      provider: 'wechatpay',
      merchantId: '1900000109',
      orderId: 'NOSUCHORDER123',
      providerOrderId: '',
      amount: 100,
      currency: 'CNY',
      payType: 'NATIVE',
      state: 'unpaid',
      createdAt: new Date().toISOString(),
      refunds: [],
    });
    expect(await handle.result()).toMatchObject({ kind: 'not_found' });
  });
});
