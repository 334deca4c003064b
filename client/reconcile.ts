/** Run one reconciliation now, and manage the schedule that runs it regularly. */
import {
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsAction,
} from '@temporalio/client';
import type { Priority } from '@temporalio/common';
import { CANCELLATION_PRIORITY } from '../domain/index.js';
import type { ClientConfig } from './config.js';
// Type only: a client never loads workflow code; it starts the workflow by its registered name.
import type { reconcile, ReconcileInput, ReconcileReport } from '../workflows/reconcile.js';

const RECONCILE_WORKFLOW = 'reconcile';

export const RECONCILE_SCHEDULE_ID = 'rescind-reconcile';

/**
 * The sweep waits behind live cancellations like the cancellations it starts (domain/priority.ts).
 * No fairness key: it is no merchant's. Continue-as-new keeps it for the whole chain.
 */
export const RECONCILE_RUN_PRIORITY: Priority = { priorityKey: CANCELLATION_PRIORITY.reconciliation };

/** Run a reconciliation now and wait for its report. */
export async function runReconciliationNow(
  client: Client,
  config: Pick<ClientConfig, 'taskQueue'>,
  input: ReconcileInput,
): Promise<ReconcileReport> {
  return client.workflow.execute<typeof reconcile>(RECONCILE_WORKFLOW, {
    taskQueue: config.taskQueue,
    workflowId: `rescind-reconcile-now-${new Date().toISOString()}`,
    args: [input],
    staticSummary: 'Reconcile stuck orders (run now)',
    priority: RECONCILE_RUN_PRIORITY,
  });
}

/** Create (or replace) the reconciliation schedule: every `everyMs`, skipping a run while one is still going. */
export async function createReconcileSchedule(
  client: Client,
  config: Pick<ClientConfig, 'taskQueue'>,
  options: { everyMs: number; input: ReconcileInput },
): Promise<void> {
  await deleteReconcileSchedule(client).catch((err) => {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  });
  // SDK 1.24.0's ScheduleOptionsStartWorkflowAction type leaves `priority` out, though the SDK sends
  // it to the server (and its ScheduleDescriptionStartWorkflowAction reads it back): typed here.
  const action: ScheduleOptionsAction & { priority: Priority } = {
    type: 'startWorkflow',
    workflowType: RECONCILE_WORKFLOW,
    taskQueue: config.taskQueue,
    args: [options.input],
    staticSummary: 'Reconcile stuck orders (scheduled)',
    priority: RECONCILE_RUN_PRIORITY,
  };
  await client.schedule.create({
    scheduleId: RECONCILE_SCHEDULE_ID,
    spec: { intervals: [{ every: options.everyMs }] },
    policies: { overlap: 'SKIP', catchupWindow: '1m' },
    action,
    memo: { createdBy: 'rescind schedule create' },
  });
}

export const reconcileSchedule = (client: Client) => client.schedule.getHandle(RECONCILE_SCHEDULE_ID);

export async function pauseReconcileSchedule(
  client: Client,
  note = 'paused with rescind schedule pause',
): Promise<void> {
  await reconcileSchedule(client).pause(note);
}

export async function unpauseReconcileSchedule(
  client: Client,
  note = 'unpaused with rescind schedule unpause',
): Promise<void> {
  await reconcileSchedule(client).unpause(note);
}

/** Run the scheduled reconciliation once now, with the schedule's own input. */
export async function triggerReconcileSchedule(client: Client): Promise<void> {
  await reconcileSchedule(client).trigger();
}

export async function deleteReconcileSchedule(client: Client): Promise<void> {
  await reconcileSchedule(client).delete();
}

export async function describeReconcileSchedule(client: Client): Promise<ScheduleDescription> {
  return reconcileSchedule(client).describe();
}
