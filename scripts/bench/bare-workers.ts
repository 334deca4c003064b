/**
 * Workers for the bare workflow (scripts/bench/bare-workflow.ts): one for the workflow, and two for
 * its activities, each on a queue of its own, shaped like Rescind's workflow and provider workers.
 * The featured contender's activity queue carries a server-side rate limit, as each provider's does
 * (set high enough never to hold a task back, like the bench's *_MAX_RPS).
 */
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { bareActivities } from './bare-activities.js';

const BARE_WORKFLOW_PATH = fileURLToPath(new URL('./bare-workflow.ts', import.meta.url));

export interface BareWorkers {
  taskQueue: string;
  activityQueue: string;
  /** The featured contender's: rate-limited at `featuredActivitiesPerSecond`. */
  featuredActivityQueue: string;
  stop(): Promise<void>;
}

export async function startBareWorkers(
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
  featuredActivitiesPerSecond = 1000,
): Promise<BareWorkers> {
  const activityQueue = `${taskQueue}-activities`;
  const featuredActivityQueue = `${taskQueue}-featured-activities`;
  const workers = [
    await Worker.create({ connection, namespace, taskQueue, workflowsPath: BARE_WORKFLOW_PATH }),
    await Worker.create({ connection, namespace, taskQueue: activityQueue, activities: bareActivities }),
    await Worker.create({
      connection,
      namespace,
      taskQueue: featuredActivityQueue,
      activities: bareActivities,
      maxTaskQueueActivitiesPerSecond: featuredActivitiesPerSecond,
    }),
  ];
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    taskQueue,
    activityQueue,
    featuredActivityQueue,
    stop: async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
    },
  };
}
