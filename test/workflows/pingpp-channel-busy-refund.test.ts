/**
 * A Ping++ refund answered `402 channel_error/channel_busy` on a real dev server, with the sandbox's fault
 * injection: the channel asks us to come back (docs/providers/pingpp.md §6.2), so the run retries the refund
 * instead of asking an operator, and every retry looks for our refund key before creating one: one refund,
 * the ledger as the referee.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { startStack, waitForState, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** The run's outcome, or its review as an outcome-shaped value (a review would otherwise wait for days). */
async function endOf(handle: WorkflowHandle): Promise<unknown> {
  const state = await waitForState(stack, handle, (s) => s.outcome !== undefined || s.stage === 'needs_review');
  return state.outcome ?? { kind: 'needs_review', reason: state.review?.reason };
}

it('channel_busy twice, then the refund goes through: refunded once, no review', async () => {
  const order = await stack.order({ provider: 'pingpp', state: 'paid', amount: 3210, payType: 'alipay_qr' });
  await stack.fault({ provider: 'pingpp', call: 'refund', kind: 'in_progress', count: 2, codes: ['channel_busy'] });
  const handle = await stack.cancel(order);
  expect(await endOf(handle)).toMatchObject({ kind: 'refunded', amount: 3210 });
  expect(await stack.ledgerFor(order.orderId)).toMatchObject({
    paid: 3210,
    returned: 3210,
    refundCount: 1,
    overReturned: false,
  });
  const view = await stack.sandbox.admin('GET', `/orders/pingpp/${order.orderId}`);
  expect(view.refunds).toHaveLength(1);
  // Each busy answer was a retry of the same activity; no review was asked for on the way.
  const state = await stack.state(handle);
  expect(state.review).toBeUndefined();
  const faults = (await stack.sandbox.admin('GET', '/faults')).faults as { call: string; applied: number }[];
  expect(faults.find((f) => f.call === 'refund')).toMatchObject({ applied: 2 });
});

it('a refund the channel applied before it answered busy is found by the retry, not made again', async () => {
  const order = await stack.order({ provider: 'pingpp', state: 'paid', amount: 4321, payType: 'alipay_qr' });
  // The first refund POST lands but its answer is lost; the retry lists the refunds first and finds it.
  await stack.fault({ provider: 'pingpp', call: 'refund', kind: 'applied_response_lost', count: 1 });
  await stack.fault({ provider: 'pingpp', call: 'refund', kind: 'in_progress', count: 1, codes: ['channel_busy'] });
  const handle = await stack.cancel(order);
  expect(await endOf(handle)).toMatchObject({ kind: 'refunded', amount: 4321 });
  expect(await stack.ledgerFor(order.orderId)).toMatchObject({ returned: 4321, refundCount: 1, overReturned: false });
});
