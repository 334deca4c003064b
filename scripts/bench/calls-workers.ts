/**
 * Workers for the "calls" contender (scripts/bench/calls-workflow.ts): one for the workflow and one
 * for its activities, on queues of their own, shaped like Rescind's workflow and provider workers.
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { ProviderId } from '../../domain/index.js';
import type { ProviderAdapter } from '../../activities/providers/provider.js';
import { callsActivities } from './calls-activities.js';

const CALLS_WORKFLOW_PATH = fileURLToPath(new URL('./calls-workflow.ts', import.meta.url));

export interface CallsWorkers {
  taskQueue: string;
  activityQueue: string;
  stop(): Promise<void>;
}

export async function startCallsWorkers(
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
  adapters: Partial<Record<ProviderId, ProviderAdapter>>,
): Promise<CallsWorkers> {
  const activityQueue = `${taskQueue}-activities`;
  const workers = [
    await Worker.create({ connection, namespace, taskQueue, workflowsPath: CALLS_WORKFLOW_PATH }),
    await Worker.create({ connection, namespace, taskQueue: activityQueue, activities: callsActivities(adapters) }),
  ];
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    taskQueue,
    activityQueue,
    stop: async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    },
  };
}
