/**
 * What operators and callers see and steer: review and its update, duplicate starts, the
 * notification signal, search attributes; and replay of recorded histories.
 */
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { getStateQuery, paymentNotifiedSignal, resolveReviewUpdate } from '../../workflows/definitions.js';
import { startStack, waitForState, waitUntilListed, type Stack } from '../helpers/stack.js';

let stack: Stack;
const histories: { workflowId: string; history: unknown }[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const DAY = 86_400_000;

describe('needs_review and the operator update', () => {
  it('unknown state outside the reversal window → needs_review → marked resolved by an operator', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 800, payType: 'MICROPAY' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'http_500', count: 5 });
    const handle = await stack.cancel(order, { createdAt: new Date(Date.now() - 8 * DAY).toISOString() });
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain('reversal window');

    // The search attributes let operators find it.
    expect(
      await waitUntilListed(
        stack,
        `RescindStage = 'needs_review' AND RescindOutcome = 'needs_review' AND WorkflowId = '${handle.workflowId}'`,
      ),
    ).toEqual([handle.workflowId]);

    // The validator refuses a resolution without a note, and the run stays in review.
    await expect(
      handle.executeUpdate(resolveReviewUpdate, { args: [{ action: 'mark_resolved', note: '' }] }),
    ).rejects.toMatchObject({
      cause: { message: expect.stringContaining('needs a note') },
    });
    expect((await stack.state(handle)).stage).toBe('needs_review');
    const after = await handle.executeUpdate(resolveReviewUpdate, {
      args: [{ action: 'mark_resolved', note: 'called the customer; nothing was charged', operator: 'ops-1' }],
    });
    expect(after.stage).toBe('done');
    expect(await handle.result()).toMatchObject({
      kind: 'resolved_by_operator',
      note: 'called the customer; nothing was charged',
      operator: 'ops-1',
    });
    expect((await stack.state(handle)).calls.at(-1)).toMatchObject({
      kind: 'operator',
      call: 'operator',
      result: 'operator ops-1 chose mark_resolved: called the customer; nothing was charged',
    });
    histories.push({ workflowId: handle.workflowId, history: await handle.fetchHistory() });
  });

  it('needs_review → operator retries → the policy runs again and closes the order', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 801, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 5 });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain('only for pay types MICROPAY');
    await handle.executeUpdate(resolveReviewUpdate, { args: [{ action: 'retry', operator: 'ops-2' }] });
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid', via: 'close' });
    histories.push({ workflowId: handle.workflowId, history: await handle.fetchHistory() });
  });

  it('rejects the update when the run is not in review', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'closed', amount: 100, payType: '800201' });
    const handle = await stack.cancel(order);
    await handle.result();
    await expect(handle.executeUpdate(resolveReviewUpdate, { args: [{ action: 'retry' }] })).rejects.toThrow();
  });
});

describe('callers', () => {
  it('a duplicate start reaches the same run', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 1200, payType: '800208' });
    const first = await stack.cancel(order);
    const second = await stack.cancel(order);
    expect(second.firstExecutionRunId).toBe(first.firstExecutionRunId);
    await first.result();
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
    histories.push({ workflowId: first.workflowId, history: await first.fetchHistory() });
  });

  it('a payment notification during a wait makes the workflow query again at once', async () => {
    const order = await stack.order({ provider: 'payjs', state: 'unpaid', amount: 660, payType: 'native' });
    await stack.fault({ provider: 'payjs', call: 'query', kind: 'http_500', count: 1 });
    // The wait after an unknown answer is an hour: only the signal can end it within the test.
    const handle = await stack.cancel(order, { cadence: { unknownRetryDelayMs: 3_600_000, confirmDelayMs: 200 } });
    await waitForState(stack, handle, (s) => s.stage === 'waiting');
    await stack.sandbox.admin('POST', `/orders/payjs/${order.orderId}/pay`);
    await handle.signal(paymentNotifiedSignal, {
      provider: 'payjs',
      event: 'paid',
      receivedAt: new Date().toISOString(),
    });
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 660 });
    const state = await handle.query(getStateQuery);
    expect(state.calls.some((c) => c.result.startsWith('notification received'))).toBe(true);
    // A notification is a record of its own kind, not a provider call: the totals count provider calls only.
    expect(state.calls.find((c) => c.result.startsWith('notification received'))).toMatchObject({
      kind: 'notification',
      call: 'notification',
    });
    expect(state.totals.calls).toBe(state.calls.filter((c) => c.kind === 'call').length);
    histories.push({ workflowId: handle.workflowId, history: await handle.fetchHistory() });
  });

  it('the run carries typed search attributes and a final outcome', async () => {
    const order = await stack.order({ provider: 'pingpp', state: 'unpaid', amount: 300, payType: 'wx_pub_scan' });
    const handle = await stack.cancel(order);
    await handle.result();
    const description = await handle.describe();
    const attrs = Object.fromEntries(
      description.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value]),
    );
    expect(attrs).toMatchObject({
      RescindProvider: 'pingpp',
      RescindOrder: order.orderId,
      RescindStage: 'done',
      RescindOutcome: 'closed_unpaid',
    });
    histories.push({ workflowId: handle.workflowId, history: await handle.fetchHistory() });
  });
});

describe('replay', () => {
  it('histories recorded from these runs replay cleanly with the current workflow code', async () => {
    expect(histories.length).toBeGreaterThanOrEqual(4);
    const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories as never);
    let replayed = 0;
    for await (const result of results) {
      expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({
        workflowId: result.workflowId,
        error: undefined,
      });
      replayed += 1;
    }
    expect(replayed).toBe(histories.length);
  });
});
