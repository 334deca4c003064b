/**
 * The environment tests give a `rescind worker` child process: only what a clean shell has (no
 * variables leak in from the test runner), plus whatever the test adds.
 */
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
