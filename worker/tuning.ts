/**
 * How much one worker process holds at once: how many workflow runs it keeps cached (sticky, so
 * their next task needs no replay) and how many workflow and activity tasks it runs together.
 * `npm run bench:scale` measures what they cost in memory (README, "Benchmarks").
 */
import { z } from 'zod';
import { readVariables, type Env } from '../platform/env.js';

/**
 * 1000 cached runs keep a worker with 10,000 open cancellations well under 500 MB (the SDK's own
 * default grows with the heap limit: about 2,300 on a 4 GB heap). A run not in the cache is
 * replayed from its history on its next task: a few events for a waiting cancellation.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;

const count = (min: number) => z.coerce.number().int().min(min);

export const WORKER_TUNING_ENV = {
  RESCIND_WORKER_MAX_CACHED_WORKFLOWS: count(0).default(DEFAULT_MAX_CACHED_WORKFLOWS),
  RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: count(2).default(40),
  RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES: count(1).default(100),
};

/** Worker options, as the SDK names them. */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
}

export function readWorkerTuning(env: Env, problems: string[]): WorkerTuning {
  const values = readVariables(WORKER_TUNING_ENV, env, problems);
  return {
    maxCachedWorkflows: values.RESCIND_WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: values.RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: values.RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES,
  };
}
