/**
 * A query that waits in the provider's task queue past its deadline was never sent: the run asks
 * again instead of taking it as an unknown answer. Behind a reconciliation backlog at the rate
 * limit (npm run bench:backlog), unknowns of that kind sent runs to review after five of them.
 * A query can wait for hours, so the run continues as new when its history grows while it waits:
 * this dev server suggests that from the 8th event, which the first timed-out query reaches.
 * Real dev server and sandbox; no provider worker runs until the first query has timed out.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createAdapters } from '../../activities/providers/index.js';
import { startCancellation } from '../../client/library.js';
import { providerTaskQueue } from '../../domain/index.js';
import { getStateQuery } from '../../workflows/definitions.js';
import { createWorkers } from '../../worker/worker.js';
import { FAST } from '../helpers/stack.js';
import { createSandboxOrder, moneyMoves } from '../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startTestTemporal } from '../helpers/temporal.js';
import { CONTINUE_EARLY, runsOf } from '../helpers/runs.js';

let env: TestWorkflowEnvironment;
let sandbox: TestSandbox;

beforeAll(async () => {
  env = await startTestTemporal(CONTINUE_EARLY);
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
});

// WeChat Pay's query deadline is its paying-poll budget (FAST: 3 s) plus 120 s (workflows/steps.ts).
const QUERY_DEADLINE_MS = 123_000;

test('a query that timed out in the queue is asked again, not counted unknown; the paid order is refunded once', async () => {
  const taskQueue = `not-sent-${randomUUID()}`;
  const connection = env.nativeConnection as NativeConnection;
  // Only the workflow worker: the run's first query waits on WeChat Pay's queue with nobody to take it.
  const workflows = await createWorkers(
    { ...sandbox.config, taskQueue },
    { connection, client: env.client, adapters: {} },
  );
  const workflowsRunning = workflows.run();
  try {
    const order = await createSandboxOrder(sandbox, {
      provider: 'wechatpay',
      state: 'paid',
      amount: 700,
      payType: 'NATIVE',
    });
    const { workflowId } = await startCancellation(
      env.client,
      { taskQueue },
      {
        order: {
          provider: 'wechatpay',
          merchantId: order.merchantId,
          orderId: order.orderId,
          amount: 700,
          payType: 'NATIVE',
        },
        reason: 'test',
        cadence: FAST,
      },
    );
    const handle = env.client.workflow.getHandle(workflowId);

    // Past the first query's deadline: it is recorded as not sent, and the run continues as new
    // with the same query waiting (a query answered only once the run's first task is done).
    const deadline = Date.now() + QUERY_DEADLINE_MS + 120_000;
    let runs: string[] = [];
    let pending: (string | null | undefined)[] = [];
    while ((runs.length < 2 || pending.length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      runs = await runsOf(env.client, workflowId);
      pending = (await handle.describe()).raw.pendingActivities?.map((a) => a.activityType?.name) ?? [];
    }
    expect(runs).toHaveLength(2);
    expect(pending).toEqual(['queryOrder']);
    const state = await handle.query(getStateQuery);
    expect(state.calls.map((c) => c.result)).toEqual(['not sent: waited in the wechatpay queue past its deadline']);
    expect(state.observations).toEqual([]);
    expect(state.stage).toBe('querying');

    // A provider worker comes: the waiting query is sent, the order is paid, and it is refunded once.
    const calls = await Worker.create({
      connection,
      taskQueue: providerTaskQueue(taskQueue, 'wechatpay'),
      activities: createActivities({ adapters: createAdapters(sandbox.config.providers) }),
    });
    const outcome = await calls.runUntil(handle.result());
    expect(outcome).toMatchObject({ kind: 'refunded', amount: 700 });
    // The workflow worker still runs, so the finished run answers its query.
    const after = await handle.query(getStateQuery);
    expect(after.observations.map((o) => o.observation.status)).not.toContain('unknown');
    expect(after.calls[0]?.result).toBe('not sent: waited in the wechatpay queue past its deadline');
    expect(await moneyMoves(sandbox, { provider: 'wechatpay', orderId: order.orderId })).toMatchObject({
      refunds: 1,
      refunded: 700,
      overReturned: 0,
    });
  } finally {
    workflows.shutdown();
    await workflowsRunning;
  }
}, 420_000);
