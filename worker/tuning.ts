/**
 * How much one worker process holds at once: how many workflow runs it keeps cached (sticky, so
 * their next task needs no replay) and how many workflow and activity tasks it runs together; and
 * how long it lets provider calls under way finish when it stops.
 * `npm run bench:scale` measures what they cost in memory (README, "Benchmarks").
 */
import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { PROVIDER_CALL_TIMEOUT_SECONDS } from '../domain/index.js';
import { readVariables, type Env } from '../platform/env.js';

/**
 * The SDK's own default grows with the heap limit (about 2,300 on a 4 GB heap). Measured with
 * `npm run bench:scale` (README, "Benchmarks"): 2,000 open runs with 1000 cached held 716 MB; 1,500
 * with 200 cached settled at 497 MB, of which 361 MB is the idle worker. A run not in the cache is
 * replayed from its history on its next task: a few dozen events for a waiting cancellation.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 200;

/**
 * The V8 old-space limit we run a worker with: NODE_OPTIONS=--max-old-space-size=192
 * (as docker-compose.yml sets it). Node's own limit grows with the machine (about 4 GB here), and V8 collects
 * lazily far below it: 10,000 open runs peaked at 567 MiB RSS without a limit, 387 MiB with it
 * (README, "Benchmarks"). A heap flag must be given when node starts; it cannot be set later.
 */
export const WORKER_HEAP_MIB = 192;

/** This process's V8 heap limit (old space plus young generation), in MiB. */
export const heapLimitMiB = (): number => Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);

/** What the worker's start line says of its heap: the limit, and how to bound it when nobody did. */
export function describeHeapLimit(limitMiB: number): string {
  const advice =
    limitMiB > 1024
      ? ` (unbounded for a worker: start it with NODE_OPTIONS=--max-old-space-size=${WORKER_HEAP_MIB})`
      : '';
  return `V8 heap limit ${limitMiB} MiB${advice}`;
}

/**
 * How long a stopping worker (SIGTERM, Ctrl-C: a rolling deploy) lets the provider calls under way
 * finish before it cancels them: as long as one attempt may take, so any attempt under way can end
 * with its answer. A call cut off is retried on another worker under the same idempotency key, but
 * a refund whose answer was lost costs a retry and an "unknown" in the run's record. Give the
 * process manager more than this before it kills (docker-compose.yml: stop_grace_period).
 */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = PROVIDER_CALL_TIMEOUT_SECONDS;

const count = (min: number) => z.coerce.number().int().min(min);

export const WORKER_TUNING_ENV = {
  RESCIND_WORKER_MAX_CACHED_WORKFLOWS: count(0).default(DEFAULT_MAX_CACHED_WORKFLOWS),
  RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: count(2).default(40),
  RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES: count(1).default(100),
  RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS: count(0).default(DEFAULT_SHUTDOWN_GRACE_SECONDS),
};

/** Worker options, as the SDK names them. */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  /** In ms. */
  shutdownGraceTime: number;
}

export function readWorkerTuning(env: Env, problems: string[]): WorkerTuning {
  const values = readVariables(WORKER_TUNING_ENV, env, problems);
  return {
    maxCachedWorkflows: values.RESCIND_WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: values.RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: values.RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES,
    shutdownGraceTime: values.RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
  };
}
