/**
 * Live cancellations ahead of the backlog, on a real dev server (priority and fairness on, one
 * partition per task queue so the queue's order is the server's dispatch order) with the sandbox:
 * a backlog of reconciliation runs waits on WeChat Pay's task queue while no provider worker runs;
 * then the runs under test are started, then the provider worker, one call at a time. The order of
 * the refunds in the sandbox's ledger (its `seq`) is the order the calls were dispatched in.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createAdapters } from '../../activities/providers/index.js';
import { startCancellation } from '../../client/library.js';
import { providerTaskQueue, type CancellationPriorityClass } from '../../domain/index.js';
import { createWorkers } from '../../worker/worker.js';
import { FAST } from '../helpers/stack.js';
import { createSandboxOrder, sandboxLedger } from '../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startTestTemporal } from '../helpers/temporal.js';

const MERCHANT_A = '1900000109';
const MERCHANT_B = '1900000110';
const BACKLOG = 12;

let env: TestWorkflowEnvironment;
let sandbox: TestSandbox;

beforeAll(async () => {
  env = await startTestTemporal({
    'matching.numTaskqueueReadPartitions': 1,
    'matching.numTaskqueueWritePartitions': 1,
  });
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
});

/** A paid WeChat Pay order of this merchant, and the start of its cancellation in the given class. */
async function startRun(client: Client, taskQueue: string, merchantId: string, priority: CancellationPriorityClass) {
  const order = await createSandboxOrder(sandbox, {
    provider: 'wechatpay',
    state: 'paid',
    amount: 500,
    payType: 'NATIVE',
    merchantId,
  });
  const { workflowId } = await startCancellation(
    client,
    { taskQueue, priority },
    {
      order: { provider: 'wechatpay', merchantId, orderId: order.orderId, amount: 500, payType: 'NATIVE' },
      reason: 'test',
      requestedBy: priority === 'live' ? 'checkout-service' : 'reconciliation',
      cadence: FAST,
    },
  );
  return { orderId: order.orderId, workflowId };
}

/** Wait until the run's first provider call is queued (no provider worker runs yet, so it waits there). */
async function untilCallQueued(client: Client, workflowId: string): Promise<void> {
  for (;;) {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    if ((raw.pendingActivities?.length ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Queue `queued` (in that order) with only the workflow worker running, then start WeChat Pay's
 * worker with one call at a time, wait for every run, and return the order ids in refund order.
 */
async function refundOrder(
  queued: { merchantId: string; priority: CancellationPriorityClass }[][],
): Promise<{ runs: { orderId: string }[][]; refunds: string[] }> {
  const taskQueue = `priority-${randomUUID()}`;
  const connection = env.nativeConnection as NativeConnection;
  const workflows = await createWorkers(
    { ...sandbox.config, taskQueue },
    { connection, client: env.client, adapters: {} },
  );
  const workflowsRunning = workflows.run();
  const runs: { orderId: string; workflowId: string }[][] = [];
  for (const group of queued) {
    const started = [];
    for (const run of group) started.push(await startRun(env.client, taskQueue, run.merchantId, run.priority));
    for (const run of started) await untilCallQueued(env.client, run.workflowId);
    runs.push(started);
  }
  const calls = await Worker.create({
    connection,
    taskQueue: providerTaskQueue(taskQueue, 'wechatpay'),
    activities: createActivities({ adapters: createAdapters(sandbox.config.providers) }),
    maxConcurrentActivityTaskExecutions: 1,
  });
  await calls.runUntil(Promise.all(runs.flat().map((run) => env.client.workflow.getHandle(run.workflowId).result())));
  workflows.shutdown();
  await workflowsRunning;
  const mine = new Set(runs.flat().map((run) => run.orderId));
  const { entries } = await sandboxLedger(sandbox);
  const refunds = entries
    .filter((e) => e.kind === 'refund' && mine.has(e.orderId))
    .sort((a, b) => a.seq - b.seq)
    .map((e) => e.orderId);
  return { runs, refunds };
}

const position = (refunds: string[], orderId: string): number => refunds.indexOf(orderId);

test('a live cancellation is served before a queued reconciliation backlog of the same merchant', async () => {
  const { runs, refunds } = await refundOrder([
    Array.from({ length: BACKLOG }, () => ({ merchantId: MERCHANT_A, priority: 'reconciliation' as const })),
    [{ merchantId: MERCHANT_A, priority: 'live' }],
  ]);
  const [backlog, [live]] = runs as [{ orderId: string }[], { orderId: string }[]];
  expect(refunds).toHaveLength(BACKLOG + 1);
  // Queued last, refunded before most of the backlog (FIFO would make it the very last refund).
  const backlogRefundsBeforeLive = position(refunds, live!.orderId);
  expect(backlogRefundsBeforeLive).toBeLessThan(BACKLOG / 2);
  expect(backlog.every((run) => refunds.includes(run.orderId))).toBe(true);
}, 240_000);

test("within one priority, a merchant's backlog does not hold back another merchant's cancellations", async () => {
  const { runs, refunds } = await refundOrder([
    Array.from({ length: BACKLOG }, () => ({ merchantId: MERCHANT_A, priority: 'reconciliation' as const })),
    Array.from({ length: 3 }, () => ({ merchantId: MERCHANT_B, priority: 'reconciliation' as const })),
  ]);
  const [, other] = runs as [{ orderId: string }[], { orderId: string }[]];
  expect(refunds).toHaveLength(BACKLOG + 3);
  // Merchant B queued after all of A's, and all of B's refunds came before half of A's were done.
  const lastOfB = Math.max(...other.map((run) => position(refunds, run.orderId)));
  expect(lastOfB).toBeLessThan(3 + BACKLOG / 2);
}, 240_000);
