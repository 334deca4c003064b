/**
 * A reconciliation sweep itself waits behind live cancellations, not only the cancellations it
 * starts (docs/architecture.md, "Priority and fairness"): the reconcile run started now, every run
 * of its continue-as-new chain, and the run the Temporal Schedule starts have the reconciliation
 * priority key in their WorkflowExecutionStarted event, on the real dev server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { createReconcileSchedule, reconcileSchedule, runReconciliationNow } from '../../client/reconcile.js';
import { CANCELLATION_PRIORITY } from '../../domain/index.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually } from './support.js';

let stack: Stack;
let folder: string;
let ordersFile: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rescind-reconcile-priority-'));
  ordersFile = join(folder, 'orders.json');
  writeFileSync(ordersFile, JSON.stringify({ orders: [] }));
  stack = await startStack({ orderSource: `file:${ordersFile}` });
});
afterAll(async () => {
  await reconcileSchedule(stack.env.client)
    .delete()
    .catch(() => undefined);
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The priority key in a run's first event. */
async function startedPriorityKey(client: Client, workflowId: string, runId: string) {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  return history?.events?.[0]?.workflowExecutionStartedEventAttributes?.priority?.priorityKey;
}

const stuckRow = (o: SandboxOrderView) => ({
  provider: o.provider,
  merchantId: o.merchantId,
  orderId: o.orderId,
  amount: o.amount,
  currency: o.currency,
  payType: o.payType,
  createdAt: o.createdAt,
  status: 'pending',
});

test('a reconciliation run now, and each run it continues as, starts at the reconciliation priority', async () => {
  const orders = await Promise.all(
    [800, 900].map((amount) =>
      stack.order({
        provider: 'wechatpay',
        state: 'unpaid',
        amount,
        payType: 'NATIVE',
        createdAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ),
  );
  writeFileSync(ordersFile, JSON.stringify({ orders: orders.map(stuckRow) }));
  const report = await runReconciliationNow(
    stack.env.client,
    { taskQueue: stack.taskQueue },
    { minAgeMs: 15 * 60_000, batchSize: 1, batchesPerRun: 1, cadence: FAST },
  );
  expect(report).toMatchObject({ candidates: 2, byOutcome: { closed_unpaid: 2 } });
  // One page per run: a chain of runs through continue-as-new.
  expect(report.runs).toBeGreaterThan(1);

  // Visibility is eventually consistent: wait until every run of the chain is listed.
  const query = `WorkflowType = 'reconcile' AND TaskQueue = '${stack.taskQueue}' AND WorkflowId STARTS_WITH 'rescind-reconcile-now-'`;
  const runs = await eventually(async () => {
    const found: { workflowId: string; runId: string }[] = [];
    for await (const wf of stack.env.client.workflow.list({ query }))
      found.push({ workflowId: wf.workflowId, runId: wf.runId });
    return found.length >= report.runs ? found : undefined;
  });
  const keys = await Promise.all(runs.map((r) => startedPriorityKey(stack.env.client, r.workflowId, r.runId)));
  expect(keys).toEqual(runs.map(() => CANCELLATION_PRIORITY.reconciliation));
});

test('the schedule starts its reconciliation runs at the reconciliation priority', async () => {
  writeFileSync(ordersFile, JSON.stringify({ orders: [] }));
  await createReconcileSchedule(
    stack.env.client,
    { taskQueue: stack.taskQueue },
    { everyMs: 3_600_000, input: { minAgeMs: 15 * 60_000, cadence: FAST } },
  );
  const schedule = reconcileSchedule(stack.env.client);
  expect((await schedule.describe()).action.priority).toMatchObject({
    priorityKey: CANCELLATION_PRIORITY.reconciliation,
  });

  await schedule.trigger();
  const started = await eventually(async () => (await schedule.describe()).info.recentActions[0]?.action.workflow);
  expect(await startedPriorityKey(stack.env.client, started.workflowId, started.firstExecutionRunId)).toBe(
    CANCELLATION_PRIORITY.reconciliation,
  );
});
