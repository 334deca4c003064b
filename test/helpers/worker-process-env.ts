/**
 * The environment tests give a `rescind worker` child process: only what a clean shell has (no
 * variables leak in from the test runner), plus whatever the test adds.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestSandbox } from './sandbox.js';

export const CLEAN_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, USER: 'tester' };

/** A worker on `taskQueue` of the test dev server, with the sandbox's credentials. */
export const stackWorkerEnv = (
  temporal: TestWorkflowEnvironment,
  sandbox: TestSandbox,
  taskQueue: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv => ({
  ...CLEAN_ENV,
  ...sandbox.env,
  TEMPORAL_ADDRESS: temporal.address,
  RESCIND_TASK_QUEUE: taskQueue,
  ...extra,
});

/**
 * Worker processes of one fresh Worker Deployment on a fresh task queue (worker/versioning.ts):
 * `env(buildId)` starts a worker of that build, and serves the CLI too (it reads the deployment).
 */
export function versionedWorkers(
  temporal: TestWorkflowEnvironment,
  sandbox: TestSandbox,
  name: string,
  extra: NodeJS.ProcessEnv = {},
): { taskQueue: string; deployment: string; env(buildId: string): NodeJS.ProcessEnv } {
  const taskQueue = `${name}-${randomUUID()}`;
  const deployment = `${name}-${randomUUID().slice(0, 8)}`;
  return {
    taskQueue,
    deployment,
    env: (buildId) =>
      stackWorkerEnv(temporal, sandbox, taskQueue, {
        RESCIND_WORKER_BUILD_ID: buildId,
        RESCIND_WORKER_DEPLOYMENT: deployment,
        ...extra,
      }),
  };
}
