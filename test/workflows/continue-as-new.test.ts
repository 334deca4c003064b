/**
 * A run that continues as new hands its memory to the next one: money that moved before the
 * continue is not moved again, and the record list and totals go on where they were. The dev server
 * here suggests continue-as-new from the 8th event, within a run's first query (Temporal's default
 * is 4,096; Rescind also continues past 2,000 events), so every cancellation below continues, and
 * each run must act on its first answer before it does (ACT_BEFORE_CONTINUE_PATCH).
 * Real dev server, sandbox and workers.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { startCancellation } from '../../client/library.js';
import type { OutcomeKind, ProviderId } from '../../domain/index.js';
import { paymentNotifiedSignal, resolveReviewUpdate, type CancellationState } from '../../workflows/definitions.js';
import { PAID_NOTICE_LOOKS } from '../../workflows/steps.js';
import { MerchantKey, OrderKey, OutcomeKey, ProviderKey, StageKey } from '../../workflows/search-attributes.js';
import type { cancelOrder } from '../../workflows/cancel-order.js';
import { FAST, startStack, waitForState, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { moneyMoves } from '../helpers/sandbox-orders.js';
import { CONTINUE_EARLY, endedActivitiesIn, runsOf } from '../helpers/runs.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ dynamicConfig: CONTINUE_EARLY });
});

afterAll(async () => {
  await stack?.stop();
});

/** Start cancelling a sandbox order through Rescind's client, as a timeout handler would (a lean run). */
async function startFor(order: SandboxOrderView): Promise<WorkflowHandle<typeof cancelOrder>> {
  const { provider, merchantId, orderId, providerOrderId, amount, payType, createdAt } = order;
  const { workflowId } = await startCancellation(
    stack.env.client,
    { taskQueue: stack.taskQueue },
    {
      order: { provider, merchantId, orderId, providerOrderId, amount, payType, createdAt },
      reason: 'test',
      cadence: FAST,
    },
  );
  return stack.env.client.workflow.getHandle<typeof cancelOrder>(workflowId);
}

describe('continue-as-new mid-cancellation', () => {
  it.each([
    ['wechatpay', 'paid', 'NATIVE', 'refunded', 1],
    ['qfpay', 'paid', '800201', 'refunded', 1],
    ['pingpp', 'paid', 'wx_pub_scan', 'refunded', 1],
    ['payjs', 'unpaid', 'native', 'closed_unpaid', 0],
  ] as const)(
    '%s %s order (%s): each run carries on from the last; it ends %s with %i refund(s)',
    async (provider: ProviderId, state, payType, kind: OutcomeKind, refunds) => {
      const order = await stack.order({
        provider,
        state,
        amount: 700,
        payType,
        // Ping++ answers two refund checks "pending": the run continues between the refund and its confirmation.
        ...(provider === 'pingpp' ? { refundProcessingQueries: 2 } : {}),
      });
      const handle = await startFor(order);
      const { workflowId } = handle;
      expect(await handle.result()).toMatchObject({ kind });

      const runs = await runsOf(stack.env.client, workflowId);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      const moves = await moneyMoves(stack.sandbox, { provider, orderId: order.orderId });
      expect(moves).toMatchObject({ refunds, refunded: refunds * 700, reversals: 0, overReturned: 0 });

      // The last run's records start with the first run's query, and its totals count every run's calls.
      const last: CancellationState = await stack.state(handle);
      expect(last.calls[0]).toMatchObject({ kind: 'call', call: 'queryOrder' });
      const ended = await Promise.all(runs.map((runId) => endedActivitiesIn(stack.env.client, workflowId, runId)));
      expect(last.totals.calls).toBe(ended.reduce((sum, n) => sum + n, 0));
      expect(last.outcome).toMatchObject({ kind });
      // Operators still find the last run by order, and see where it ended.
      const { typedSearchAttributes } = await handle.describe();
      expect(
        [ProviderKey, MerchantKey, OrderKey, StageKey, OutcomeKey].map((key) => typedSearchAttributes.get(key)),
      ).toEqual([provider, order.merchantId, order.orderId, 'done', kind]);
    },
    60_000,
  );

  it('a paid notice the provider never confirms gets its looks across runs, then an operator is asked', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 700, payType: 'NATIVE' });
    // The first query is held for 2 s (then retried), so the notice lands before the run can end.
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'timeout', count: 1, holdMs: 2_000 });
    const handle = await startFor(order);
    const { workflowId } = handle;
    await handle.signal(paymentNotifiedSignal, {
      provider: 'wechatpay',
      event: 'paid',
      receivedAt: new Date().toISOString(),
      noticeId: `notice-${order.orderId}`,
    });

    // Closed, yet notified paid: the run looks again after each continue until its looks are spent.
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain(`after ${PAID_NOTICE_LOOKS} more queries wechatpay still shows`);
    expect((await runsOf(stack.env.client, workflowId)).length).toBeGreaterThanOrEqual(PAID_NOTICE_LOOKS + 1);
    expect(await moneyMoves(stack.sandbox, { provider: 'wechatpay', orderId: order.orderId })).toMatchObject({
      refunds: 0,
      returned: 0,
    });
    await handle.executeUpdate(resolveReviewUpdate, {
      args: [{ action: 'mark_resolved', note: 'not paid: the merchant platform shows no payment' }],
    });
    expect(await handle.result()).toMatchObject({ kind: 'resolved_by_operator' });
  }, 60_000);
});
