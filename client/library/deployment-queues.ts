/**
 * Which of Rescind's task queues a build's workers poll, and which ones a switch to that build would
 * leave with no worker. A worker polls a provider's queue only when it has that provider's
 * credentials, so a build started without one provider's configuration polls one queue fewer, and
 * once current its calls to that provider wait with no worker.
 *
 * Temporal's own check at a switch leaves out a queue with no backlog and no tasks added lately, so
 * a provider Rescind calls a few times a day is not protected by it; this check is: every queue
 * served now, or ever polled by the current build, must have been polled by the new one.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { PROVIDER_IDS, providerTaskQueue } from '../../domain/index.js';
import { describeBacklogs, type BacklogQueue } from './backlog.js';
import type { DeploymentView } from './deployment.js';

const { TaskQueueType } = proto.temporal.api.enums.v1;

const GRPC_NOT_FOUND = 5;

/** Rescind's queues under `taskQueue`, each with its name and the kind of task it carries. */
function rescindQueues(taskQueue: string): { queue: BacklogQueue; name: string; type: number }[] {
  return [
    { queue: 'workflows', name: taskQueue, type: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW },
    ...PROVIDER_IDS.map((p) => ({
      queue: p,
      name: providerTaskQueue(taskQueue, p),
      type: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    })),
  ];
}

/**
 * The Rescind queues a build's workers have polled (the server keeps every queue a build ever
 * polled); undefined when no worker of that build has joined the deployment.
 */
export async function buildQueues(
  client: Client,
  deployment: string,
  buildId: string,
  taskQueue: string,
): Promise<BacklogQueue[] | undefined> {
  let answer;
  try {
    answer = await client.workflowService.describeWorkerDeploymentVersion({
      namespace: client.options.namespace,
      deploymentVersion: { deploymentName: deployment, buildId },
    });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return undefined;
    throw err;
  }
  const polled = answer.versionTaskQueues ?? answer.workerDeploymentVersionInfo?.taskQueueInfos ?? [];
  return rescindQueues(taskQueue)
    .filter((q) => polled.some((p) => p.name === q.name && p.type === q.type))
    .map((q) => q.queue);
}

/** The view with each build's queues filled in, so an operator sees a build that lacks one before switching. */
export async function withBuildQueues(
  client: Client,
  view: DeploymentView,
  taskQueue: string,
): Promise<DeploymentView> {
  const builds = await Promise.all(
    view.builds.map(async (b) => ({
      ...b,
      queues: (await buildQueues(client, view.name, b.buildId, taskQueue)) ?? [],
    })),
  );
  return { ...view, builds };
}

/** What a switch would leave unserved, and whose queues it was compared with. */
export interface QueueCoverage {
  /** The queues that must stay served: served now, or ever polled by the current build. */
  expected: BacklogQueue[];
  /** Of those, the ones the new takers would not serve. */
  missing: BacklogQueue[];
  /** The current build, or undefined when workers of no deployment serve the queues now. */
  current?: string;
}

/**
 * Compare the queues that must stay served with those the switch's new takers poll: `buildId`'s
 * workers (every queue they ever polled), or with `buildId` undefined the workers of no deployment
 * polling now. `current` is the deployment's current build, if any. Undefined when no worker of
 * `buildId` has joined: the server refuses that by name.
 */
export async function queueCoverage(
  client: Client,
  deployment: string,
  buildId: string | undefined,
  taskQueue: string,
  current: string | undefined,
): Promise<QueueCoverage | undefined> {
  const [backlogs, currentQueues, buildPolled] = await Promise.all([
    describeBacklogs(client, taskQueue),
    current && current !== buildId ? buildQueues(client, deployment, current, taskQueue) : Promise.resolve([]),
    buildId === undefined ? Promise.resolve([]) : buildQueues(client, deployment, buildId, taskQueue),
  ]);
  if (!buildPolled) return undefined;
  const polled =
    buildId === undefined
      ? // With a build current, the workers of no deployment poll but are counted apart; with none, they serve.
        backlogs.filter((b) => (current ? (b.unversionedWorkers ?? 0) : b.workers) > 0).map((b) => b.queue)
      : buildPolled;
  const served = backlogs.filter((b) => b.workers > 0).map((b) => b.queue);
  const expected = rescindQueues(taskQueue)
    .map((q) => q.queue)
    .filter((q) => served.includes(q) || (currentQueues ?? []).includes(q));
  return { expected, missing: expected.filter((q) => !polled.includes(q)), ...(current ? { current } : {}) };
}

/** The words of a refusal for missing queues: what would stall and what to do. */
export function missingQueuesMessage(buildId: string | undefined, coverage: QueueCoverage): string {
  const whose = coverage.current ? `build ${coverage.current} (current) serves` : 'workers of no deployment serve';
  const queues = coverage.missing.map((q) => (q === 'workflows' ? 'the workflow queue' : `the ${q} queue`));
  const takers =
    buildId === undefined
      ? `no worker of no deployment polls ${queues.join(', ')}`
      : `build ${buildId}'s workers never polled ${queues.join(', ')}`;
  const fix =
    buildId === undefined
      ? "Start rescind worker without RESCIND_WORKER_BUILD_ID, with those providers' configuration"
      : "Start its workers with the same providers' configuration";
  return (
    `${takers}, which ${whose}: once the switch is made, those tasks would wait with no worker. ` +
    `${fix}, or pass --allow-missing-queues if Rescind no longer calls ${coverage.missing.length > 1 ? 'them' : 'it'}`
  );
}
