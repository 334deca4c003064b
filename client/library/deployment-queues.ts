/**
 * Which of Rescind's task queues a build's workers poll, and which ones a switch to that build would
 * leave with no worker. A worker polls a provider's queue only when it has that provider's
 * credentials, so a build started without one provider's configuration polls one queue fewer, and
 * once current its calls to that provider wait with no worker.
 *
 * Temporal's own check at a switch leaves out a queue with no backlog and no tasks added lately, so
 * a provider Rescind calls a few times a day is not protected by it; this check is: every queue in
 * use now (some worker of any build polls it, or tasks wait on it) or ever polled by the current
 * build must have been polled by the new one.
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
  // A repeated field decodes as [] when absent: fall back to the deprecated list only when the new one is empty.
  const polled = answer.versionTaskQueues?.length
    ? answer.versionTaskQueues
    : (answer.workerDeploymentVersionInfo?.taskQueueInfos ?? []);
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
  /** The queues that must stay served: in use now (polled by any worker, or with tasks waiting), or ever polled by the current build. */
  expected: BacklogQueue[];
  /** Of those, the ones the new takers would not serve. */
  missing: BacklogQueue[];
  /** The current build, or undefined when workers of no deployment serve the queues now. */
  current?: string;
  /** Set when the current build's queues could not be read, so nothing can be said: refuse, and try again. */
  unreadable?: string;
}

/**
 * Compare the queues that must stay served with those the switch's new takers poll: `buildId`'s
 * workers (every queue they ever polled), or with `buildId` undefined the workers of no deployment
 * polling now. `current` is the deployment's current build as it answered, if any. Undefined when
 * no worker of `buildId` has joined: the server refuses that by name.
 */
export async function queueCoverage(
  client: Client,
  deployment: string,
  buildId: string | undefined,
  taskQueue: string,
  current: string | undefined,
): Promise<QueueCoverage | undefined> {
  const [backlogs, buildPolled] = await Promise.all([
    describeBacklogs(client, taskQueue),
    buildId === undefined ? Promise.resolve([]) : buildQueues(client, deployment, buildId, taskQueue),
  ]);
  if (!buildPolled) return undefined;
  // Right after a server restart the deployment may answer "not found" while its queues still route
  // to the current build: either one naming a current build is enough.
  const routed = current ?? backlogs.find((b) => b.currentBuild)?.currentBuild;
  const currentQueues = routed && routed !== buildId ? await buildQueues(client, deployment, routed, taskQueue) : [];
  if (!currentQueues)
    return {
      expected: [],
      missing: [],
      current: routed,
      unreadable: `the server does not say which queues build ${routed} (current) polls; it may be starting again: try again`,
    };
  const polled =
    buildId === undefined
      ? // With a build current, the workers of no deployment poll but are counted apart; with none, they serve.
        backlogs.filter((b) => (routed ? (b.unversionedWorkers ?? 0) : b.workers) > 0).map((b) => b.queue)
      : buildPolled;
  // In use now: some worker of any build polls it, or tasks wait on it. The current build's own list
  // alone is not enough: under load the server may not have registered every queue its workers polled.
  const inUse = backlogs
    .filter((b) => b.workers > 0 || (b.otherBuildWorkers ?? 0) > 0 || b.waiting > 0)
    .map((b) => b.queue);
  const expected = rescindQueues(taskQueue)
    .map((q) => q.queue)
    .filter((q) => inUse.includes(q) || currentQueues.includes(q));
  return { expected, missing: expected.filter((q) => !polled.includes(q)), ...(routed ? { current: routed } : {}) };
}

/** The words of a refusal for missing queues: what would stall and what to do. */
export function missingQueuesMessage(buildId: string | undefined, coverage: QueueCoverage): string {
  const whose = coverage.current ? `build ${coverage.current} is current` : 'no build is current';
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
    `${takers}, which Rescind uses now (${whose}): once the switch is made, those tasks would wait with no worker. ` +
    `${fix}, or pass --allow-missing-queues if Rescind no longer calls ${coverage.missing.length > 1 ? 'them' : 'it'}`
  );
}
