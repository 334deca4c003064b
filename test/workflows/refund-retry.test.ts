/**
 * An operator's retry after a refund the provider refused uses the next refund key, exactly once;
 * after a refund the provider accepted it looks before it writes, and never refunds again
 * (docs/policy.md, "Refund keys" and "Review and operator resolution"). The sandbox ledger is the referee.
 */
import { resolveReviewUpdate } from '../../workflows/definitions.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';
import { sandboxOrder } from '../helpers/sandbox-orders.js';
import { startStack, waitForState, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  await stack.sandbox.admin('DELETE', '/settings');
});

describe('operator retry after a refund', () => {
  it('rejected by the provider (balance too low) → review → top up, retry → refunded once with <orderId>-RF2', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'paid', amount: 2700, payType: 'NATIVE' });
    await stack.sandbox.admin('PATCH', '/settings/wechatpay', { availableBalance: 100 });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain('refund rejected by the provider');
    expect(inReview.review?.reason).toContain('NOT_ENOUGH');

    await stack.sandbox.admin('DELETE', '/settings');
    await handle.executeUpdate(resolveReviewUpdate, { args: [{ action: 'retry', operator: 'ops-topped-up' }] });
    const settled = await waitForState(stack, handle, (s) => s.stage === 'done' || s.stage === 'needs_review');
    expect(settled.review?.reason).toBeUndefined();
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2700, refundKey: `${order.orderId}-RF2` });

    const refunds = (await stack.state(handle)).calls.filter((c) => c.call === 'refundOrder').map((c) => c.result);
    expect(refunds).toEqual([expect.stringContaining('rejected'), expect.stringContaining('succeeded')]);
    expect((await sandboxOrder(stack.sandbox, 'wechatpay', order.orderId)).refunds.map((r) => r.refundKey)).toEqual([
      `${order.orderId}-RF2`,
    ]);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({
      paid: 2700,
      returned: 2700,
      refundCount: 1,
      overReturned: false,
    });
  });

  it('accepted and still processing past the checks → review → retry → asks about the same key, never refunds again', async () => {
    const { maxChecks } = PROVIDER_RULES.wechatpay.refund;
    // Processing for every check before review, and two more after the retry.
    const order = await stack.order({
      provider: 'wechatpay',
      state: 'paid',
      amount: 2800,
      payType: 'NATIVE',
      refundProcessingQueries: maxChecks + 2,
    });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain(`refund ${order.orderId}-RF1 still processing after ${maxChecks} checks`);
    const before = inReview.calls.length;

    await handle.executeUpdate(resolveReviewUpdate, { args: [{ action: 'retry', operator: 'ops-2' }] });
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2800, refundKey: `${order.orderId}-RF1` });

    const afterRetry = (await stack.state(handle)).calls.slice(before).filter((c) => c.kind === 'call');
    // A fresh query, then the refund in flight is asked about (the same key) until it settles: no refund is sent.
    expect(afterRetry.map((c) => c.call)).toEqual(['queryOrder', 'queryRefund', 'queryRefund', 'queryOrder']);
    expect((await stack.state(handle)).calls.filter((c) => c.call === 'refundOrder')).toHaveLength(1);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({
      paid: 2800,
      returned: 2800,
      refundCount: 1,
      overReturned: false,
    });
  });
});
