/**
 * Rolling out a new build through Temporal's Worker Deployments (worker/versioning.ts: how a worker
 * joins one). A deployment's workers are versioned by build id; the server hands tasks only to the
 * current version's workers (or, without one, to workers that joined no deployment). A new build's
 * workers can start beside the old ones and take nothing until an operator makes their build
 * current; from then the old ones take nothing, and every open run goes on with the new code on its
 * next task (runs are AUTO_UPGRADE). Making the old build current again is the rollback.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { RequestError } from '../request.js';
import type { BacklogQueue } from './backlog.js';
import { missingQueuesMessage, queueCoverage } from './deployment-queues.js';

const { WorkerDeploymentVersionStatus } = proto.temporal.api.enums.v1;

/** Where a build stands in its deployment, as the server says. */
export type BuildStatus = 'inactive' | 'current' | 'ramping' | 'draining' | 'drained' | 'unknown';

export interface DeploymentBuild {
  buildId: string;
  status: BuildStatus;
  /** When a worker of this build first polled. */
  createdAt?: string;
  /** Which of Rescind's queues its workers polled (withBuildQueues in deployment-queues.ts). */
  queues?: BacklogQueue[];
}

export interface DeploymentView {
  name: string;
  /** The build the server hands tasks to; undefined: workers that joined no deployment take them. */
  current?: string;
  /** A build taking a share of the runs (chosen by workflow id) while another is current, with that share in percent. */
  ramping?: { buildId: string; percentage: number };
  builds: DeploymentBuild[];
}

/** Rescind's workers join this deployment unless RESCIND_WORKER_DEPLOYMENT names another: the task queue. */
export const defaultDeploymentName = (taskQueue: string): string => taskQueue;

const STATUS: Record<number, BuildStatus> = {
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE]: 'inactive',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT]: 'current',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING]: 'ramping',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING]: 'draining',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]: 'drained',
};

/** gRPC status codes the server answers with. */
const GrpcStatus = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9 } as const;

const isGrpc = (err: unknown, code: number): boolean => isGrpcServiceError(err) && err.code === code;

const iso = (t: { seconds?: unknown } | null | undefined): string | undefined =>
  t?.seconds === undefined || t.seconds === null ? undefined : new Date(Number(t.seconds) * 1000).toISOString();

/** The deployment's builds and which one is current; undefined when no worker has joined it yet. */
export async function describeDeployment(client: Client, name: string): Promise<DeploymentView | undefined> {
  let info;
  try {
    ({ workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: name,
    }));
  } catch (err) {
    if (isGrpc(err, GrpcStatus.NOT_FOUND)) return undefined;
    throw err;
  }
  const routing = info?.routingConfig;
  const ramping = routing?.rampingDeploymentVersion?.buildId;
  return {
    name,
    current: routing?.currentDeploymentVersion?.buildId || undefined,
    ...(ramping ? { ramping: { buildId: ramping, percentage: routing?.rampingVersionPercentage ?? 0 } } : {}),
    builds: (info?.versionSummaries ?? []).map((v) => ({
      buildId: v.deploymentVersion?.buildId ?? '',
      status: STATUS[v.status ?? 0] ?? 'unknown',
      createdAt: iso(v.createTime),
    })),
  };
}

/** Who asks for a change, and how far to check it first. */
export interface ChangeOptions {
  /** Recorded by Temporal as who made the change. */
  operator?: string;
  /**
   * Rescind's task queue (RESCIND_TASK_QUEUE): given, the change is refused when the build's workers
   * never polled a queue in use now or that the current build polled (deployment-queues.ts).
   */
  taskQueue?: string;
  /** Make the change even though the build misses such a queue (a provider Rescind no longer calls). */
  allowMissingQueues?: boolean;
}

/**
 * Make `buildId` the deployment's current build, from which every task is handed to its workers.
 * Refused when no worker of the build polled, and (with `taskQueue`) when its workers never polled
 * a queue that would then have no worker (a build started without one provider's credentials).
 * Returns the build that was current before (undefined: none).
 */
export async function setCurrentBuild(
  client: Client,
  name: string,
  buildId: string,
  options: ChangeOptions = {},
): Promise<{ previous?: string }> {
  const id = buildId.trim();
  if (!id) throw new RequestError([{ field: 'build-id', message: 'name the build to make current' }]);
  await refuseMissingQueues(client, name, id, options);
  return changeCurrent(client, name, id, options.operator);
}

/**
 * Throws DeploymentChangeRefused when the build (undefined: the workers of no deployment) would leave
 * one of Rescind's queues with no worker.
 */
async function refuseMissingQueues(
  client: Client,
  name: string,
  buildId: string | undefined,
  options: ChangeOptions,
): Promise<void> {
  if (!options.taskQueue || options.allowMissingQueues) return;
  const current = (await describeDeployment(client, name))?.current;
  const coverage = await queueCoverage(client, name, buildId, options.taskQueue, current);
  // Not left to the server: its workers may join between this check and the switch, and the server's
  // own check would then let a build that lacks an idle queue through.
  if (!coverage) throw new DeploymentChangeRefused(notJoinedMessage(buildId ?? '', name));
  if (coverage.unreadable) throw new DeploymentChangeRefused(coverage.unreadable);
  if (coverage.missing.length > 0)
    throw new DeploymentChangeRefused(missingQueuesMessage(buildId, coverage), coverage.missing);
}

/**
 * Make no build current: the tasks go back to workers that joined no deployment (the way back from a
 * first versioned rollout, or for a stack whose worker is unversioned, as `npm start`'s is). Refused,
 * with `taskQueue`, when no such worker polls a queue that would then need one.
 */
export async function setCurrentUnversioned(
  client: Client,
  name: string,
  options: ChangeOptions = {},
): Promise<{ previous?: string }> {
  await refuseMissingQueues(client, name, undefined, options);
  return changeCurrent(client, name, '', options.operator);
}

async function changeCurrent(
  client: Client,
  name: string,
  id: string,
  operator: string | undefined,
): Promise<{ previous?: string }> {
  try {
    const { previousDeploymentVersion } = await client.workflowService.setWorkerDeploymentCurrentVersion({
      namespace: client.options.namespace,
      deploymentName: name,
      buildId: id,
      identity: operator ?? client.options.identity,
    });
    return { previous: previousDeploymentVersion?.buildId || undefined };
  } catch (err) {
    throw refusal(err, id, name);
  }
}

/**
 * Hand `percentage` of the runs to `buildId`'s workers while another build stays current: a canary.
 * Which runs is decided by their workflow id, so a run stays with the build it was handed to, new
 * runs and open ones alike (open runs are AUTO_UPGRADE). Refused as setCurrentBuild refuses a build
 * that cannot take the work. Returns the build that ramped before, if any.
 */
export async function setRampingBuild(
  client: Client,
  name: string,
  buildId: string,
  percentage: number,
  options: ChangeOptions = {},
): Promise<{ previous?: string }> {
  const id = buildId.trim();
  if (!id) throw new RequestError([{ field: 'build-id', message: 'name the build to ramp' }]);
  if (!Number.isFinite(percentage) || percentage <= 0 || percentage > 100)
    throw new RequestError([
      { field: 'percent', message: `a share of the runs above 0 and at most 100 (got ${String(percentage)})` },
    ]);
  await refuseMissingQueues(client, name, id, options);
  return changeRamp(client, name, id, percentage, options.operator);
}

/** End a ramp: the current build takes every run again. */
export async function stopRamping(client: Client, name: string, operator?: string): Promise<{ previous?: string }> {
  return changeRamp(client, name, '', 0, operator);
}

async function changeRamp(
  client: Client,
  name: string,
  buildId: string,
  percentage: number,
  operator: string | undefined,
): Promise<{ previous?: string }> {
  try {
    const { previousDeploymentVersion } = await client.workflowService.setWorkerDeploymentRampingVersion({
      namespace: client.options.namespace,
      deploymentName: name,
      buildId,
      percentage,
      identity: operator ?? client.options.identity,
    });
    return { previous: previousDeploymentVersion?.buildId || undefined };
  } catch (err) {
    throw refusal(err, buildId, name);
  }
}

/** The server's refusal, in words that say what to do; other errors as they are. */
function refusal(err: unknown, buildId: string, name: string): unknown {
  if (isGrpc(err, GrpcStatus.NOT_FOUND)) return new DeploymentChangeRefused(notJoinedMessage(buildId, name));
  if (isGrpc(err, GrpcStatus.FAILED_PRECONDITION) || isGrpc(err, GrpcStatus.INVALID_ARGUMENT))
    return new DeploymentChangeRefused(`the server refused the change for build ${buildId}: ${(err as Error).message}`);
  return err;
}

const notJoinedMessage = (buildId: string, name: string): string =>
  `no worker of build ${buildId} has joined deployment ${name}: start rescind worker with RESCIND_WORKER_BUILD_ID=${buildId} first`;

/** The server would not make that change to the deployment; nothing changed. The message says why. */
export class DeploymentChangeRefused extends Error {
  /** `missingQueues`: refused by Rescind's queue check, for these queues the new takers do not poll. */
  constructor(
    message: string,
    readonly missingQueues: BacklogQueue[] = [],
  ) {
    super(message);
    this.name = 'DeploymentChangeRefused';
  }
}
