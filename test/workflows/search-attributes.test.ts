/**
 * The search attributes operators filter on (Provider, Merchant, Order, Stage, Outcome) take the
 * same values with fewer history events when Rescind's client starts the run with them, and the
 * stage is written only where a run rests (workflows/attributes.ts); a run started without them (an
 * older client) still gets every one.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { resolveReview, startCancellation } from '../../client/library.js';
import type { CancellationState } from '../../workflows/definitions.js';
import { FAST, startStack, waitForState, type SandboxOrderView, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const requestFor = (order: SandboxOrderView, amount = order.amount) => ({
  order: {
    provider: order.provider,
    merchantId: order.merchantId,
    orderId: order.orderId,
    providerOrderId: order.providerOrderId,
    amount,
    payType: order.payType,
    createdAt: order.createdAt,
  },
  cadence: FAST,
});

async function startWithLibrary(order: SandboxOrderView, amount?: number): Promise<WorkflowHandle> {
  const { workflowId } = await startCancellation(
    stack.env.client,
    { taskQueue: stack.taskQueue },
    requestFor(order, amount),
  );
  return stack.env.client.workflow.getHandle(workflowId);
}

/** Every search-attribute upsert in the run's history, each as { name: value }. */
async function upsertsOf(handle: WorkflowHandle): Promise<Record<string, unknown>[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    if (!fields) return [];
    return [
      Object.fromEntries(
        Object.entries(fields).map(([name, payload]) => {
          const data = payload.data?.length ? JSON.parse(Buffer.from(payload.data).toString()) : null;
          return [name, Array.isArray(data) && data.length === 1 ? data[0] : data];
        }),
      ),
    ];
  });
}

async function attributesOf(handle: WorkflowHandle): Promise<Record<string, unknown>> {
  const attributes = (await handle.describe()).typedSearchAttributes;
  const rescind = attributes.getAll().filter((pair) => pair.key.name.startsWith('Rescind'));
  return Object.fromEntries(rescind.map((pair) => [pair.key.name, pair.value]));
}

/** The upserts of Rescind's own attributes (not the SDK's TemporalChangeVersion for patches). */
const rescindUpserts = async (handle: WorkflowHandle): Promise<Record<string, unknown>[]> =>
  (await upsertsOf(handle)).filter((upsert) => Object.keys(upsert).some((name) => name.startsWith('Rescind')));

it('a short cancellation started by the library writes only its end: the stage done with its outcome, one upsert', async () => {
  const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1000, payType: '800201' });
  const handle = await startWithLibrary(order);
  await handle.result();
  // Query, close and the confirming query follow each other within moments: the start's 'querying' stands for them.
  expect(await upsertsOf(handle)).toEqual([{ RescindStage: 'done', RescindOutcome: 'closed_unpaid' }]);
  expect(await attributesOf(handle)).toEqual({
    RescindProvider: 'qfpay',
    RescindMerchant: order.merchantId,
    RescindOrder: order.orderId,
    RescindStage: 'done',
    RescindOutcome: 'closed_unpaid',
  });
});

it('a run started by the library writes each wait, the first stage after it, and its end', async () => {
  const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1001, payType: '800201' });
  // Two untrusted answers: the run waits twice before it believes the third and closes the order.
  await stack.fault({ provider: 'qfpay', call: 'query', kind: 'bad_signature', count: 2 });
  const handle = await startWithLibrary(order);
  expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid' });
  expect(await rescindUpserts(handle)).toEqual([
    { RescindStage: 'waiting' },
    { RescindStage: 'querying' },
    { RescindStage: 'waiting' },
    { RescindStage: 'querying' },
    // The close and its confirming query came straight after: no upsert until the end.
    { RescindStage: 'done', RescindOutcome: 'closed_unpaid' },
  ]);
  // Between the upserts, the run's state query always had the exact stage: it saw the close.
  const state: CancellationState = await stack.state(handle);
  expect(state.calls.map((c) => c.call)).toEqual([
    'queryOrder',
    'queryOrder',
    'queryOrder',
    'closeOrder',
    'queryOrder',
  ]);
});

it('a review shows needs_review as stage and outcome together, and the operator’s outcome after', async () => {
  // PAYJS refunds whole orders only: the request's amount is not what was paid, so the run asks an operator.
  const order = await stack.order({ provider: 'payjs', state: 'paid', amount: 1200, payType: 'native' });
  const handle = await startWithLibrary(order, 1000);
  await waitForState(stack, handle, (s: CancellationState) => s.stage === 'needs_review');
  expect(await attributesOf(handle)).toMatchObject({ RescindStage: 'needs_review', RescindOutcome: 'needs_review' });
  await resolveReview(stack.env.client, handle.workflowId, { action: 'mark_resolved', note: 'refunded by hand' });
  await handle.result();
  expect(await upsertsOf(handle)).toEqual([
    { RescindStage: 'needs_review', RescindOutcome: 'needs_review' },
    { RescindOutcome: null },
    { RescindStage: 'done', RescindOutcome: 'resolved_by_operator' },
  ]);
});

it('a run started without search attributes (an older client) upserts them all, one at a time as before', async () => {
  const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1000, payType: '800201' });
  const handle = await stack.cancel(order);
  await handle.result();
  expect(await upsertsOf(handle)).toEqual([
    {
      RescindProvider: 'qfpay',
      RescindMerchant: order.merchantId,
      RescindOrder: order.orderId,
      RescindStage: 'querying',
    },
    { RescindStage: 'closing' },
    { RescindStage: 'querying' },
    { RescindStage: 'done' },
    { RescindOutcome: 'closed_unpaid' },
  ]);
  expect(await attributesOf(handle)).toMatchObject({ RescindProvider: 'qfpay', RescindStage: 'done' });
});
