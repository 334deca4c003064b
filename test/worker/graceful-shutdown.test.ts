/**
 * A `rescind worker` that is stopped (SIGINT/SIGTERM, as in a rolling deploy) while a refund is under
 * way at the provider lets that call end with its answer before it exits (RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS,
 * default 30 s); with no grace the call is cut off and another worker asks again under the same
 * refund key. Either way the money moves once. Real dev server, sandbox and worker processes.
 */
import { randomUUID } from 'node:crypto';
import { cancellationWorkflowId } from '../../domain/index.js';
import { cancelOrder } from '../../workflows/cancel-order.js';
import { startRescind } from '../client/support.js';
import { createSandboxOrder, moneyMoves } from '../helpers/sandbox-orders.js';
import { FAST } from '../helpers/stack.js';
import { useTestServers } from '../helpers/servers.js';
import { stackWorkerEnv } from '../helpers/worker-process-env.js';

const READY = /\[rescind\] worker on .*\n/;
/** How long the sandbox holds the refund's answer after applying it: the call is under way that long. */
const SLOW_ANSWER_MS = 4_000;

const servers = useTestServers();

/**
 * Start cancelling a paid QFPay order on a worker, stop that worker while the refund's answer is
 * held, then let a second worker finish the run. Returns the refund activity's attempts and the run.
 */
async function refundAcrossAStop(extraEnv: NodeJS.ProcessEnv) {
  const taskQueue = `shutdown-${randomUUID()}`;
  const env = stackWorkerEnv(servers.temporal, servers.sandbox, taskQueue, extraEnv);
  const order = await createSandboxOrder(servers.sandbox, {
    provider: 'qfpay',
    state: 'paid',
    amount: 1300,
    payType: '800201',
  });
  await servers.sandbox.admin('POST', '/faults', {
    provider: 'qfpay',
    call: 'refund',
    kind: 'slow',
    holdMs: SLOW_ANSWER_MS,
    count: 1,
  });
  const first = await startRescind(['worker'], env, READY);
  const handle = await servers.temporal.client.workflow.start(cancelOrder, {
    taskQueue,
    workflowId: cancellationWorkflowId(order.provider, order.merchantId, order.orderId),
    args: [{ order, reason: 'graceful shutdown test', cadence: FAST }],
  });
  // The provider has applied the refund; its answer is still held, so the call is under way.
  while ((await moneyMoves(servers.sandbox, { provider: 'qfpay', orderId: order.orderId })).refunds === 0)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const firstExit = await first.stop();

  const second = await startRescind(['worker'], env, READY);
  try {
    const outcome = await handle.result();
    const { events } = await handle.fetchHistory();
    const refundStarts = (events ?? []).filter((e) => {
      const scheduled = events!.find(
        (s) => s.eventId?.toString() === e.activityTaskStartedEventAttributes?.scheduledEventId?.toString(),
      );
      return scheduled?.activityTaskScheduledEventAttributes?.activityType?.name === 'refundOrder';
    });
    return {
      firstExit,
      outcome,
      refundAttempts: refundStarts.map((e) => e.activityTaskStartedEventAttributes!.attempt),
      money: await moneyMoves(servers.sandbox, { provider: 'qfpay', orderId: order.orderId }),
    };
  } finally {
    await second.stop();
  }
}

it('lets a refund under way end with its answer before the worker exits', async () => {
  const run = await refundAcrossAStop({});
  expect(run.firstExit).toBe(0);
  expect(run.outcome).toMatchObject({ kind: 'refunded', amount: 1300 });
  // The stopping worker finished the refund's first attempt: no second one was needed.
  expect(run.refundAttempts).toEqual([1]);
  expect(run.money).toMatchObject({ refunds: 1, refunded: 1300, overReturned: 0 });
}, 120_000);

it('with no grace the call is cut off and asked again by the next worker, and the money still moves once', async () => {
  const run = await refundAcrossAStop({ RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS: '0' });
  expect(run.firstExit).toBe(0);
  expect(run.outcome).toMatchObject({ kind: 'refunded', amount: 1300 });
  expect(run.refundAttempts).toEqual([2]);
  expect(run.money).toMatchObject({ refunds: 1, refunded: 1300, overReturned: 0 });
}, 120_000);
