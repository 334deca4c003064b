/**
 * PAYJS's check cannot show refunds (docs/providers/payjs.md §3.1), so an order refunded before the cancellation
 * started reads paid; the run's refund then answers `refund: "1"` (already refunded) and nothing moves. On a real
 * dev server with the sandbox: that ends `already_refunded`, as on the other providers, while a refund of ours whose
 * answer was lost (the activity's retry hears `refund: "1"`) still ends `refunded`.
 */
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

it('refunded before Rescind acted: already_refunded, nothing moved', async () => {
  const order = await stack.order({ provider: 'payjs', state: 'refunded', amount: 1999, payType: 'native' });
  const handle = await stack.cancel(order);
  expect(await handle.result()).toMatchObject({ kind: 'already_refunded', refundedAmount: 1999 });
  expect(await stack.ledgerFor(order.orderId)).toMatchObject({
    paid: 1999,
    returned: 1999,
    refundCount: 1,
    overReturned: false,
  });
});

it('our refund landed but its answer was lost: the retry\'s refund "1" is ours, refunded', async () => {
  const order = await stack.order({ provider: 'payjs', state: 'paid', amount: 2999, payType: 'native' });
  await stack.fault({ provider: 'payjs', call: 'refund', kind: 'applied_response_lost', count: 1 });
  const handle = await stack.cancel(order);
  expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2999 });
  expect(await stack.ledgerFor(order.orderId)).toMatchObject({ returned: 2999, refundCount: 1, overReturned: false });
});
