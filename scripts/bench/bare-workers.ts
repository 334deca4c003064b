/**
 * Workers for the bare workflow (scripts/bench/bare-workflow.ts): one for the workflow, one for its
 * no-op activity on a queue of its own, shaped like Rescind's workflow and provider workers.
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { bareActivities } from './bare-activities.js';

const BARE_WORKFLOW_PATH = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));

export interface BareWorkers {
  taskQueue: string;
  activityQueue: string;
  stop(): Promise<void>;
}

export async function startBareWorkers(
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
): Promise<BareWorkers> {
  const activityQueue = `${taskQueue}-activities`;
  const workers = [
    await Worker.create({ connection, namespace, taskQueue, workflowsPath: BARE_WORKFLOW_PATH }),
    await Worker.create({ connection, namespace, taskQueue: activityQueue, activities: bareActivities }),
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
