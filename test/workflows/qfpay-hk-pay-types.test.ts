/**
 * QFPay's Hong Kong pay types on the real stack (dev server, workers, sandbox over HTTP; docs/policy.md, "Pay types
 * no call cancels"): no reversal, close or (for FPS) refund request ever reaches the sandbox, whose request counter
 * is the referee; unpaid orders end when their payment window does, paid ones are refunded exactly once, or handed
 * over with what to do where QFPay cannot refund.
 */
import type { ProviderCall } from '../../workflows/definitions.js';
import { startStack, waitForState, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  await stack.sandbox.admin('DELETE', '/requests');
});
afterEach(async () => {
  await stack.sandbox.admin('PATCH', '/settings/qfpay', { expireAfterPaymentWindow: true });
  await stack.sandbox.admin('DELETE', '/faults');
});

const MINUTE = 60_000;
/** A creation time whose 120-minute payment window ends `ms` from now (negative: ended that long ago). */
const windowEndsIn = (ms: number) => new Date(Date.now() - 120 * MINUTE + ms).toISOString();

/** How many requests reached each QFPay endpoint since the test began. */
async function served(): Promise<Record<string, number>> {
  const { routes } = await stack.sandbox.admin<{ routes: { route: string; count: number }[] }>('GET', '/requests');
  return Object.fromEntries(
    routes.filter((r) => r.route.includes('/qfpay/')).map((r) => [r.route.replace(/.*\/trade\/v1\//, ''), r.count]),
  );
}
const WRITES: string[] = ['reverseOrder', 'closeOrder', 'refundOrder'] satisfies ProviderCall[];
/** The run's records of reversal, close and refund calls. */
const writes = <T extends { call: string }>(calls: T[]): T[] => calls.filter((c) => WRITES.includes(c.call));

describe('unpaid: no reversal or close, the run waits out the payment window and a query confirms the expiry', () => {
  it('FPS, PayMe MPM, Octopus MPM and Alipay MPM (HK merchants) → already_closed (expired), no money moved', async () => {
    const payTypes = ['802001', '805801', '803701', '801501'];
    const createdAt = windowEndsIn(15_000);
    const orders = await Promise.all(
      payTypes.map((payType) => stack.order({ provider: 'qfpay', state: 'unpaid', amount: 2400, payType, createdAt })),
    );
    const handles = await Promise.all(orders.map((order) => stack.cancel(order)));
    for (const handle of handles) {
      expect(await handle.result()).toEqual({
        kind: 'already_closed',
        reason: 'expired',
        providerCode: 'respcd=1181,cancel=0',
      });
      const state = await stack.state(handle);
      expect(writes(state.calls)).toEqual([]);
      // Unpaid (QFPay's 1143 reads "paying") before the window's end, expired after it.
      expect(state.observations.map((o) => o.observation.status)).toEqual(['paying', 'closed']);
    }
    expect(await served()).toEqual({ query: 2 * payTypes.length });
    for (const order of orders) expect(await stack.ledgerFor(order.orderId)).toBeUndefined();
  });

  it('still unpaid once the window has passed (QFPay has not marked it): review with what to do, nothing written', async () => {
    await stack.sandbox.admin('PATCH', '/settings/qfpay', { expireAfterPaymentWindow: false });
    const order = await stack.order({
      provider: 'qfpay',
      state: 'unpaid',
      amount: 2400,
      payType: '805808',
      createdAt: windowEndsIn(-60 * MINUTE),
    });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toMatch(
      /^still paying after the polling budget 3 h after creation, past its 2 h payment window; qfpay cannot reverse or close pay type 805808 \(PayMe CPM\): check in the merchant portal whether it can still be paid; once it cannot, mark resolved; if it was paid, retry/,
    );
    expect(writes(inReview.calls)).toEqual([]);
    expect(await served()).toEqual({ query: 1 });
    await handle.terminate('test over');
  });

  it('FPS whose state stays unknown: review instead of the last-resort reversal', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 2400, payType: '802001' });
    await stack.fault({ provider: 'qfpay', call: 'query', kind: 'bad_signature', count: 1_000 });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain(
      'reverse is not possible: qfpay cannot reverse or close pay type 802001 (FPS MPM)',
    );
    expect(writes(inReview.calls)).toEqual([]);
    expect(Object.keys(await served())).toEqual(['query']);
    expect((await stack.sandbox.admin('GET', `/orders/qfpay/${order.orderId}`)).state).toBe('unpaid');
    await handle.terminate('test over');
  });
});

describe('paid', () => {
  it.each(['805801', '803701'])('%s is refunded exactly once', async (payType) => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 2500, payType });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2500, refundKey: `${order.orderId}-RF1` });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ paid: 2500, returned: 2500, refundCount: 1 });
    const requests = await served();
    expect(requests.refund).toBe(1);
    expect(requests.reversal ?? 0).toBe(0);
    expect(requests.close ?? 0).toBe(0);
  });

  it('FPS: QFPay refunds no FPS payment, so no refund is sent and the operator is told to return the money', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 2500, payType: '802001' });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toBe(
      'paid by pay type 802001 (FPS MPM), which qfpay cannot refund: return the money to the payer by other means (e.g. a bank transfer), then mark resolved',
    );
    expect(writes(inReview.calls)).toEqual([]);
    expect(await served()).toEqual({ query: 1 });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ paid: 2500, returned: 0, refundCount: 0 });
    await handle.terminate('test over');
  });
});

describe('a paid order QFPay will not reverse (another pay type)', () => {
  it('unknown state, the last-resort reversal answered 1260 "already paid" → a query shows it paid → refunded once', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 2500, payType: '800208' });
    // Five untrusted answers spend the unknown budget (rules.ts: qfpay unknownRetry.attempts = 5).
    await stack.fault({ provider: 'qfpay', call: 'query', kind: 'bad_signature', count: 5 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2500 });
    const state = await stack.state(handle);
    expect(writes(state.calls).map((c) => `${c.call} ${c.result}`)).toEqual([
      'reverseOrder rejected (respcd=1260)',
      'refundOrder succeeded (respcd=0000)',
    ]);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ paid: 2500, returned: 2500, refundCount: 1 });
  });
});
