/**
 * What waits on Rescind's task queues, as Temporal's matching service counts it: on each provider's
 * queue, the provider calls not yet sent (by priority class, so live cancellations are told apart
 * from a reconciliation backlog), how old the oldest is, how fast they are sent against the rate
 * limit in force, and how many workers take them; on the workflow queue, the workflow tasks no
 * worker has taken. The counts are the server's approximations, refreshed every few seconds.
 */
import type { Client } from '@temporalio/client';
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import type { google, temporal } from '@temporalio/proto';
import { CANCELLATION_PRIORITY, PROVIDER_IDS, providerTaskQueue, type ProviderId } from '../../domain/index.js';

const { TaskQueueKind, TaskQueueType, RateLimitSource, WorkerVersioningMode } = proto.temporal.api.enums.v1;

/** Where a task waits: the workflow queue, or one provider's queue of calls. */
export type BacklogQueue = 'workflows' | ProviderId;

/**
 * - idle: nothing waits;
 * - draining: tasks wait and are sent faster than they arrive;
 * - holding: sent about as fast as they arrive. A backlog of cancellations holds level while its
 *   runs work: each call sent adds the run's next one, until the runs end;
 * - growing: tasks arrive faster than they are sent (a rate limit below the arrivals, or slow workers);
 * - stalled: tasks wait, workers poll, and none was sent lately (every worker's slots are taken);
 * - unserved: tasks wait and no worker that may take them polls the queue: nothing moves until one
 *   is started (with versioned workers, one of the current build: only those are handed tasks);
 * - paused: an operator paused the provider (./pause.ts): nothing is sent until it is resumed.
 */
export type BacklogState = 'idle' | 'draining' | 'holding' | 'growing' | 'stalled' | 'unserved' | 'paused';

/** Who paused a provider's queue, when and why (the server keeps it with the queue's config). */
export interface QueuePause {
  reason: string;
  by: string;
  since: string;
}

export interface QueueBacklog {
  queue: BacklogQueue;
  taskQueue: string;
  /** Tasks waiting to be taken by a worker. */
  waiting: number;
  /** The waiting tasks by the class of the cancellation they belong to (domain/priority.ts); `other`: started without one. */
  waitingByClass: { live: number; reconciliation: number; other: number };
  /** Age of the oldest waiting task, in seconds (0 when none waits). */
  oldestSeconds: number;
  /** Tasks added and taken per second, averaged by the server over its last minute or so. */
  addedPerSecond: number;
  sentPerSecond: number;
  /**
   * The dispatch limit the server enforces on the queue, when there is one: a worker's *_MAX_RPS, or
   * one an operator set (0 while paused), which replaces the workers'.
   */
  rateLimitPerSecond?: number;
  /** Set while an operator has the provider paused. */
  pause?: QueuePause;
  /**
   * Worker processes that polled the queue in the last two minutes (a killed worker drops out then)
   * and are handed its tasks: with versioned workers (worker/versioning.ts), those of the current
   * (or ramping) build; with no current build, those of no deployment.
   */
  workers: number;
  /** The build the server hands this queue's tasks to, when workers are versioned and one is current. */
  currentBuild?: string;
  /** Workers polling that are handed none of its tasks: of another build (a new one not yet current, an old one). */
  otherBuildWorkers?: number;
  /** Workers polling that joined no deployment, when a build is current (they take tasks again only with none current). */
  unversionedWorkers?: number;
  state: BacklogState;
  /** At the current rates, when draining. */
  drainsInSeconds?: number;
}

const QUEUES: BacklogQueue[] = ['workflows', ...PROVIDER_IDS];

/** Every Rescind queue under `taskQueue` (RESCIND_TASK_QUEUE): the workflow queue first, then each provider's. */
export async function describeBacklogs(client: Client, taskQueue: string): Promise<QueueBacklog[]> {
  return Promise.all(QUEUES.map((queue) => describeBacklog(client, taskQueue, queue)));
}

export async function describeBacklog(client: Client, taskQueue: string, queue: BacklogQueue): Promise<QueueBacklog> {
  const name = queue === 'workflows' ? taskQueue : providerTaskQueue(taskQueue, queue);
  const answer = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      queue === 'workflows' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportStats: true,
    reportConfig: true,
  });
  return backlogOf(queue, name, answer, Date.now());
}

type DescribeAnswer = temporal.api.workflowservice.v1.IDescribeTaskQueueResponse;
type Stats = temporal.api.taskqueue.v1.ITaskQueueStats;

/** The answer read as a backlog (exported for the tests of the arithmetic). */
export function backlogOf(queue: BacklogQueue, taskQueue: string, answer: DescribeAnswer, now: number): QueueBacklog {
  const stats = answer.stats ?? {};
  const waiting = count(stats.approximateBacklogCount);
  const byKey = answer.statsByPriorityKey ?? {};
  const live = count(byKey[CANCELLATION_PRIORITY.live]?.approximateBacklogCount);
  const reconciliation = count(byKey[CANCELLATION_PRIORITY.reconciliation]?.approximateBacklogCount);
  const addedPerSecond = rate(stats.tasksAddRate);
  const sentPerSecond = rate(stats.tasksDispatchRate);
  const limit = answer.effectiveRateLimit;
  // A limit the server only defaults to (no worker or API set one) is not one anybody chose.
  const limited =
    limit?.rateLimitSource === RateLimitSource.RATE_LIMIT_SOURCE_WORKER ||
    limit?.rateLimitSource === RateLimitSource.RATE_LIMIT_SOURCE_API;
  // The server lists a poller for minutes after its last poll; a worker polls again within a minute.
  const polling = (answer.pollers ?? []).filter((p) => now - milliseconds(p.lastAccessTime) <= POLLED_WITHIN_MS);
  const routing = answer.versioningInfo;
  const serving = polling.filter((p) => takesTasks(p, routing));
  const workers = identities(serving);
  const otherBuildWorkers = identities(polling) - workers;
  const currentBuild = routing?.currentDeploymentVersion?.buildId || undefined;
  const unversionedWorkers = currentBuild ? identities(polling.filter((p) => !isVersioned(p))) : 0;
  const pause = pauseOf(answer);
  const state = pause ? 'paused' : stateOf(waiting, workers, addedPerSecond, sentPerSecond);
  return {
    queue,
    taskQueue,
    waiting,
    // The classes are counted apart by the server and may lag the total by a refresh: never below 0.
    waitingByClass: { live, reconciliation, other: Math.max(0, waiting - live - reconciliation) },
    oldestSeconds: waiting === 0 ? 0 : seconds(stats.approximateBacklogAge),
    addedPerSecond,
    sentPerSecond,
    ...(limited ? { rateLimitPerSecond: round(limit.requestsPerSecond ?? 0) } : {}),
    ...(pause ? { pause } : {}),
    workers,
    ...(currentBuild ? { currentBuild } : {}),
    ...(otherBuildWorkers > 0 ? { otherBuildWorkers } : {}),
    ...(unversionedWorkers > 0 ? { unversionedWorkers } : {}),
    state,
    ...(state === 'draining' ? { drainsInSeconds: Math.ceil(waiting / (sentPerSecond - addedPerSecond)) } : {}),
  };
}

/** A limit of 0 an operator (or any API client) set: the queue sends nothing. */
function pauseOf(answer: DescribeAnswer): QueuePause | undefined {
  const limit = answer.effectiveRateLimit;
  if (limit?.rateLimitSource !== RateLimitSource.RATE_LIMIT_SOURCE_API || (limit.requestsPerSecond ?? 0) !== 0)
    return undefined;
  const metadata = answer.config?.queueRateLimit?.metadata;
  return {
    reason: metadata?.reason ?? '',
    by: metadata?.updateIdentity ?? '',
    since: metadata?.updateTime ? new Date(milliseconds(metadata.updateTime)).toISOString() : '',
  };
}

type Poller = temporal.api.taskqueue.v1.IPollerInfo;
type Routing = temporal.api.taskqueue.v1.ITaskQueueVersioningInfo | null | undefined;

const identities = (pollers: Poller[]): number => new Set(pollers.map((p) => p.identity ?? '')).size;

const isVersioned = (poller: Poller): boolean =>
  poller.deploymentOptions?.workerVersioningMode === WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED;

/** Whether the server hands this queue's tasks to the poller: its build is current or ramping, or neither is set and it has none. */
function takesTasks(poller: Poller, routing: Routing): boolean {
  const options = poller.deploymentOptions;
  const current = routing?.currentDeploymentVersion;
  if (!options || !isVersioned(poller)) return !current?.buildId;
  const same = (v: typeof current) => v?.deploymentName === options.deploymentName && v?.buildId === options.buildId;
  return same(current) || same(routing?.rampingDeploymentVersion);
}

function stateOf(waiting: number, workers: number, added: number, sent: number): BacklogState {
  if (waiting === 0) return 'idle';
  if (workers === 0) return 'unserved';
  if (sent === 0) return 'stalled';
  if (sent > added * (1 + LEVEL_WITHIN)) return 'draining';
  return added > sent * (1 + LEVEL_WITHIN) ? 'growing' : 'holding';
}

/** Rates within 5% of each other are level: the server's rates are moving averages. */
const LEVEL_WITHIN = 0.05;

const POLLED_WITHIN_MS = 120_000;

const milliseconds = (t: google.protobuf.ITimestamp | null | undefined): number =>
  t ? Number(t.seconds?.toString() ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6) : 0;

/** int64 fields arrive as Long objects or numbers. */
const count = (value: Stats['approximateBacklogCount']): number => (value == null ? 0 : Number(value.toString()));

const seconds = (d: Stats['approximateBacklogAge']): number =>
  d ? Math.round(Number(d.seconds?.toString() ?? 0) + (d.nanos ?? 0) / 1e9) : 0;

const round = (value: number): number => Math.round(value * 100) / 100;
const rate = (value: number | null | undefined): number => round(value ?? 0);
