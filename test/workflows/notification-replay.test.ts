/**
 * Replayed genuine notifications must not speed a run to its last resort (docs/policy.md, "Waiting
 * without growing history"): a wake-up never counts towards the policy's budget nor shortens its
 * backoff, brings a look forward at most once per backoff step, and duplicates (same noticeId) wake
 * a run at most once. The history's scheduling times are the referee for the timing.
 */
import { createHash } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import {
  paymentNotifiedSignal,
  type Cadence,
  type CancellationState,
  type NotificationSignal,
} from '../../workflows/definitions.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';
import { FAST, startStack, waitForState, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import {
  clearFaults,
  counted,
  gaps,
  shorterThan,
  timedCalls,
  unknownRetrySteps,
  type TimedCall,
} from './timed-calls.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The noticeId a receiver derives for a provider without event ids (PAYJS): SHA-256 of the raw body. */
function genuineNotice(order: SandboxOrderView, event: NotificationSignal['event']): NotificationSignal {
  const simulator = SIMULATORS.find((s) => s.id === order.provider)!;
  const stored = stack.sandbox.sandbox.ctx.store.findByOrderId(order.provider, order.orderId)!;
  const body = simulator.paymentNotification(stored, stack.sandbox.sandbox.ctx).body;
  return {
    provider: order.provider,
    event,
    receivedAt: new Date().toISOString(),
    noticeId: createHash('sha256').update(body).digest('hex'),
  };
}

/** The same notice delivered `times` times, `apartMs` apart. */
async function replay(
  handle: WorkflowHandle,
  notice: NotificationSignal,
  times: number,
  apartMs: number,
): Promise<void> {
  for (let i = 0; i < times; i++) {
    if (i > 0) await pause(apartMs);
    await handle.signal(paymentNotifiedSignal, { ...notice, receivedAt: new Date().toISOString() });
  }
}

describe('PAYJS micropay, queries answering with bad signatures, the same notification posted 3 times 0.7 s apart', () => {
  // Short steps so the test takes seconds; still longer than the 0.7 s between deliveries.
  const cadence: Cadence = { ...FAST, unknownRetryDelayMs: 1_000, unknownRetryMaxDelayMs: 4_000 };
  const steps = unknownRetrySteps('payjs', cadence);

  async function cancelWithUntrustedQueries(
    deliveries: number,
  ): Promise<{ calls: TimedCall[]; reason?: string; order: SandboxOrderView; state: CancellationState }> {
    const order = await stack.order({ provider: 'payjs', state: 'paid', amount: 880, payType: 'micropay' });
    await stack.fault({ provider: 'payjs', call: 'query', kind: 'bad_signature', count: 1_000 });
    const handle = await stack.cancel(order, { cadence });
    if (deliveries > 0) {
      await waitForState(stack, handle, (s) => s.stage === 'waiting');
      await replay(handle, genuineNotice(order, 'paid'), deliveries, 700);
    }
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    await clearFaults(stack);
    const calls = await timedCalls(handle);
    await handle.terminate('test over');
    return { calls, reason: inReview.review?.reason, order, state: inReview };
  }

  let quiet: Awaited<ReturnType<typeof cancelWithUntrustedQueries>>;
  let replayed: Awaited<ReturnType<typeof cancelWithUntrustedQueries>>;
  beforeAll(async () => {
    quiet = await cancelWithUntrustedQueries(0);
    replayed = await cancelWithUntrustedQueries(3);
  });

  it('the policy: waits of 1 s, 2 s, 4 s between the 4 untrusted answers, then reverse (rules.ts: payjs attempts 4, doubling)', () => {
    expect(steps).toEqual([1_000, 2_000, 4_000]);
  });

  it('without notifications: 7 queries and 3 reverses, the queries spaced by the backoff, then review', () => {
    expect(quiet.calls.map((c) => c.call)).toEqual([
      ...Array(4).fill('queryOrder'),
      'reverseOrder',
      'queryOrder',
      'reverseOrder',
      'queryOrder',
      'reverseOrder',
      'queryOrder',
    ]);
    expect(shorterThan(gaps(quiet.calls, 'queryOrder'), steps)).toEqual([]);
    expect(quiet.reason).toContain('reverse already tried 3 times');
  });

  it('with the replayed notification: the same counted queries, reverses and review as without', () => {
    expect(counted(replayed.calls).map((c) => c.call)).toEqual(quiet.calls.map((c) => c.call));
    expect(replayed.calls.filter((c) => c.call === 'reverseOrder')).toHaveLength(3);
    expect(replayed.reason).toBe(quiet.reason!.replace(quiet.order.orderId, replayed.order.orderId));
  });

  it('the three deliveries brought exactly one query forward, and it did not shorten any backoff step', () => {
    expect(shorterThan(gaps(counted(replayed.calls), 'queryOrder'), steps)).toEqual([]);
    expect(replayed.calls.filter((c) => c.byNotification).map((c) => c.call)).toEqual(['queryOrder']);
  });

  it('the repeats are counted on the notice, not recorded one by one', () => {
    expect(replayed.state.notices).toEqual([expect.objectContaining({ deliveries: 3 })]);
    expect(replayed.state.calls.filter((c) => c.kind === 'notification').map((c) => c.result)).toEqual([
      'notification received: paid',
    ]);
  });

  it('the reversal returned the payment once', async () => {
    for (const run of [quiet, replayed]) {
      expect(await stack.ledgerFor(run.order.orderId)).toMatchObject({ paid: 880, returned: 880, overReturned: false });
    }
  });
});

describe('a refund still processing, the same notification replayed during its wait', () => {
  const cadence: Cadence = { ...FAST, refundPollMs: 300 };
  const { maxChecks } = PROVIDER_RULES.wechatpay.refund;

  it(`checks the refund every ${cadence.refundPollMs} ms, ${maxChecks} times as the policy says; the replay brings one check forward`, async () => {
    // The refund never finishes within the test: the run checks it maxChecks times, then asks a human.
    const order = await stack.order({
      provider: 'wechatpay',
      state: 'paid',
      amount: 1990,
      payType: 'NATIVE',
      refundProcessingQueries: 1_000,
    });
    const handle = await stack.cancel(order, { cadence });
    await waitForState(stack, handle, (s) => s.stage === 'waiting' && s.calls.some((c) => c.call === 'queryRefund'));
    await replay(handle, { provider: 'wechatpay', event: 'refunded', receivedAt: '', noticeId: 'EV-REFUND-1' }, 3, 100);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain(`still processing after ${maxChecks} checks`);
    const calls = await timedCalls(handle);
    await handle.terminate('test over');

    // The first check follows the refund at once; each later one waits refund.pollMs.
    const checkGaps = gaps(counted(calls), 'queryRefund');
    expect(
      shorterThan(
        checkGaps,
        checkGaps.map(() => cadence.refundPollMs!),
      ),
    ).toEqual([]);
    expect(counted(calls).filter((c) => c.call === 'queryRefund')).toHaveLength(maxChecks);
    expect(calls.filter((c) => c.byNotification).map((c) => c.call)).toEqual(['queryRefund']);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });
});
