/**
 * The library on the real stack (dev server, sandbox, workers): start (validated, idempotent per
 * order), read, wait, list, resolve, notify.
 */
import {
  CancellationNotFoundError,
  getCancellation,
  getCancellationById,
  listCancellations,
  notifyPayment,
  OutcomeTimeoutError,
  RequestError,
  RescindClient,
  resolveReview,
  ReviewRejectedError,
  startCancellation,
  waitForOutcome,
  type CancellationView,
} from '../../client/library.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually, workflowExists } from './support.js';

let stack: Stack;
let rescind: RescindClient;
beforeAll(async () => {
  stack = await startStack();
  rescind = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
});
afterAll(async () => {
  await stack?.stop();
});

const requestFor = (order: SandboxOrderView, extra: Record<string, unknown> = {}) => ({
  order: {
    provider: order.provider,
    merchantId: order.merchantId,
    orderId: order.orderId,
    providerOrderId: order.providerOrderId,
    amount: order.amount,
    currency: order.currency,
    payType: order.payType,
    createdAt: order.createdAt,
  },
  reason: 'payment timeout',
  requestedBy: 'library test',
  cadence: FAST,
  ...extra,
});

/** Poll the library view until `predicate` holds. */
const viewUntil = (workflowId: string, predicate: (v: CancellationView) => boolean) =>
  eventually(async () => {
    const view = await getCancellationById(stack.env.client, workflowId);
    return view && predicate(view) ? view : undefined;
  });

describe('startCancellation', () => {
  it('refuses bad input, naming each field, and starts nothing', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 500, payType: '800201' });
    const bad = requestFor(order);
    bad.order.amount = -500;
    (bad.order as Record<string, unknown>).provider = 'qfpayy';
    const error = await rescind.start(bad).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).fields.map((f) => f.field).sort()).toEqual(['order.amount', 'order.provider']);
    expect(
      await workflowExists(stack.env.client, cancellationWorkflowId('qfpay', order.merchantId, order.orderId)),
    ).toBe(false);
  });

  it('starts once per order: a second start attaches, and a finished order is not cancelled again', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 1300, payType: '800208' });
    const first = await rescind.start(requestFor(order));
    const second = await startCancellation(
      stack.env.client,
      { taskQueue: stack.taskQueue },
      requestFor(order, { reason: 'asked twice' }),
    );
    expect(first).toEqual({
      workflowId: cancellationWorkflowId('qfpay', order.merchantId, order.orderId),
      runId: expect.any(String),
      started: true,
    });
    expect(second).toEqual({ ...first, started: false });

    const outcome = await rescind.waitForOutcome(first);
    expect(outcome).toMatchObject({ kind: 'refunded', amount: 1300 });
    const third = await rescind.start(requestFor(order));
    expect(third).toEqual({ ...first, started: false });
    // Still exactly one refund at the provider.
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });
});

describe('getCancellation', () => {
  it('shows stage, outcome, observations and provider calls of a finished run', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 4200, payType: 'NATIVE' });
    const { workflowId } = await rescind.start(requestFor(order));
    await waitForOutcome(stack.env.client, workflowId);
    const view = await getCancellation(stack.env.client, 'wechatpay', order.merchantId, order.orderId);
    expect(view).toMatchObject({
      workflowId,
      status: 'COMPLETED',
      stage: 'done',
      live: true,
      outcome: { kind: 'closed_unpaid' },
      order: { provider: 'wechatpay', orderId: order.orderId },
    });
    expect(view!.observations[0]?.observation.status).toBe('unpaid');
    expect(view!.calls.map((c) => c.call)).toEqual(expect.arrayContaining(['queryOrder', 'closeOrder']));
  });

  it('returns undefined for an order with no cancellation', async () => {
    expect(await getCancellation(stack.env.client, 'payjs', 'nobody', 'nothing')).toBeUndefined();
    expect(await rescind.get({ workflowId: 'rescind:payjs:nobody:nothing' })).toBeUndefined();
  });

  it('falls back to the server records when no worker answers the query', async () => {
    // A task queue nobody polls: the run exists but no worker can answer.
    const unserved = new RescindClient(stack.env.client, {
      taskQueue: `${stack.taskQueue}-unserved`,
      queryTimeoutMs: 300,
    });
    const { workflowId } = await unserved.start({
      order: { provider: 'qfpay', merchantId: 'm-unserved', orderId: 'o-unserved', amount: 1 },
    });
    const view = await unserved.get({ workflowId });
    expect(view).toMatchObject({ status: 'RUNNING', stage: 'querying', live: false, observations: [], calls: [] });
    await stack.env.client.workflow.getHandle(workflowId).terminate('test done');
  });
});

describe('waiting, notifications and reviews', () => {
  it('waitForOutcome gives up after its timeout; a notification then wakes the run', async () => {
    const order = await stack.order({ provider: 'payjs', state: 'unpaid', amount: 660, payType: 'native' });
    await stack.fault({ provider: 'payjs', call: 'query', kind: 'http_500', count: 1 });
    // After the failed query the run waits an hour: only the notification can end the wait in this test.
    const { workflowId } = await rescind.start(
      requestFor(order, { cadence: { ...FAST, unknownRetryDelayMs: 3_600_000 } }),
    );
    await viewUntil(workflowId, (v) => v.stage === 'waiting');
    await expect(waitForOutcome(stack.env.client, workflowId, { timeoutMs: 300 })).rejects.toBeInstanceOf(
      OutcomeTimeoutError,
    );

    await stack.sandbox.admin('POST', `/orders/payjs/${order.orderId}/pay`);
    expect(
      await notifyPayment(stack.env.client, workflowId, {
        provider: 'payjs',
        event: 'paid',
        receivedAt: new Date().toISOString(),
      }),
    ).toBe(true);
    expect(await rescind.waitForOutcome({ workflowId })).toMatchObject({ kind: 'refunded', amount: 660 });
    const view = await rescind.get({ workflowId });
    expect(view!.calls.map((c) => c.result)).toContain('notification received: paid');
  });

  it('notifyPayment validates its input and says when no run is open', async () => {
    await expect(
      notifyPayment(stack.env.client, 'rescind:qfpay:m:none', { provider: 'qfpay', event: 'maybe', receivedAt: 'now' }),
    ).rejects.toBeInstanceOf(RequestError);
    expect(
      await notifyPayment(stack.env.client, 'rescind:qfpay:m:none', {
        provider: 'qfpay',
        event: 'paid',
        receivedAt: new Date().toISOString(),
      }),
    ).toBe(false);
  });

  it('resolveReview resolves a run in review and refuses otherwise', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 801, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 5 });
    const { workflowId } = await rescind.start(requestFor(order));
    const inReview = await viewUntil(workflowId, (v) => v.stage === 'needs_review');
    expect(inReview.review?.reason).toBeTruthy();

    await expect(resolveReview(stack.env.client, workflowId, { action: 'mark_resolved' })).rejects.toBeInstanceOf(
      RequestError,
    );
    await expect(
      resolveReview(stack.env.client, 'rescind:wechatpay:m:none', { action: 'retry' }),
    ).rejects.toBeInstanceOf(CancellationNotFoundError);
    const after = await rescind.resolveReview(
      { workflowId },
      { action: 'mark_resolved', note: 'customer refunded by hand', operator: 'ops-9' },
    );
    expect(after.stage).toBe('done');
    expect(await waitForOutcome(stack.env.client, workflowId)).toMatchObject({
      kind: 'resolved_by_operator',
      operator: 'ops-9',
    });
    // Finished: nothing to resolve any more.
    await expect(resolveReview(stack.env.client, workflowId, { action: 'retry' })).rejects.toBeInstanceOf(
      ReviewRejectedError,
    );
  });

  it('resolveReview refuses a running run that is not in review', async () => {
    const order = await stack.order({ provider: 'payjs', state: 'unpaid', amount: 661, payType: 'native' });
    await stack.fault({ provider: 'payjs', call: 'query', kind: 'http_500', count: 1 });
    const { workflowId } = await rescind.start(
      requestFor(order, { cadence: { ...FAST, unknownRetryDelayMs: 3_600_000 } }),
    );
    await viewUntil(workflowId, (v) => v.stage === 'waiting');
    await expect(rescind.resolveReview({ workflowId }, { action: 'retry' })).rejects.toThrow(/not waiting for review/);
    await stack.env.client.workflow.getHandle(workflowId).terminate('test done');
  });
});

describe('listCancellations', () => {
  it('filters by provider, merchant, stage and outcome through visibility', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'closed', amount: 100, payType: '800201' });
    const { workflowId } = await rescind.start(requestFor(order));
    await waitForOutcome(stack.env.client, workflowId);
    const listed = await eventually(async () => {
      const rows = await listCancellations(stack.env.client, {
        provider: 'qfpay',
        merchantId: order.merchantId,
        stage: 'done',
        outcome: 'already_closed',
      });
      return rows.find((r) => r.workflowId === workflowId);
    });
    expect(listed).toMatchObject({
      provider: 'qfpay',
      orderId: order.orderId,
      stage: 'done',
      outcome: 'already_closed',
      status: 'COMPLETED',
    });
    // Other filters leave it out.
    expect((await rescind.list({ provider: 'pingpp' })).map((r) => r.workflowId)).not.toContain(workflowId);
    expect((await rescind.list({ outcome: 'refunded', provider: 'qfpay' })).map((r) => r.workflowId)).not.toContain(
      workflowId,
    );
    await expect(rescind.list({ stage: 'sleeping' as never })).rejects.toBeInstanceOf(RequestError);
  });
});
