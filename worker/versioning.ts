/**
 * Worker Versioning: with RESCIND_WORKER_BUILD_ID set, every worker in this process (workflows and
 * each provider's calls) joins Temporal's Worker Deployment RESCIND_WORKER_DEPLOYMENT (default: the
 * task queue) as that build. The server then hands tasks only to the deployment's current build
 * (client/library/deployment.ts), so a rollout is one switch instead of a fleet of two builds taking
 * turns at the same runs: start the new build's workers beside the old ones, check it with
 * `rescind replay`, make it current with `rescind deployment set-current`, then stop the old ones.
 *
 * Runs are AUTO_UPGRADE: a cancellation stays open for hours or days (polled, waiting for review),
 * and it goes on with the current build's code on its next task, which Rescind's code is kept able
 * to do (patched(), `rescind replay`). PINNED would keep each open run on the build that started it,
 * and that build's workers running until its last run ends, days later.
 * Unset, the worker joins no deployment and takes any task of its queues, as before.
 */
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';
import { defaultDeploymentName } from '../client/library/deployment.js';
import { readVariables, type Env } from '../platform/env.js';

/** Temporal's limit on a deployment name and on a build id. */
const MAX_LENGTH = 255;

const name = z.string().trim().min(1).max(MAX_LENGTH);

export const WORKER_VERSIONING_ENV = {
  RESCIND_WORKER_BUILD_ID: name.optional(),
  RESCIND_WORKER_DEPLOYMENT: name.optional(),
};

export interface WorkerVersioning {
  deploymentName: string;
  buildId: string;
}

/** The deployment and build this worker joins; undefined when RESCIND_WORKER_BUILD_ID is unset. */
export function readWorkerVersioning(env: Env, taskQueue: string, problems: string[]): WorkerVersioning | undefined {
  const values = readVariables(WORKER_VERSIONING_ENV, env, problems);
  const deploymentName = values.RESCIND_WORKER_DEPLOYMENT;
  if (!values.RESCIND_WORKER_BUILD_ID) {
    if (deploymentName)
      problems.push(
        'RESCIND_WORKER_DEPLOYMENT is set but RESCIND_WORKER_BUILD_ID is not: set the build id too (e.g. the commit), or unset both',
      );
    return undefined;
  }
  return {
    deploymentName: deploymentName ?? defaultDeploymentName(taskQueue),
    buildId: values.RESCIND_WORKER_BUILD_ID,
  };
}

/** The SDK's worker option for it. */
export function deploymentOptions(versioning: WorkerVersioning): WorkerDeploymentOptions {
  return {
    useWorkerVersioning: true,
    version: { deploymentName: versioning.deploymentName, buildId: versioning.buildId },
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  };
}

/** What the worker's start line says of it. */
export function describeVersioning(versioning: WorkerVersioning | undefined): string {
  if (!versioning) return 'no deployment (RESCIND_WORKER_BUILD_ID unset): takes any task of its queues';
  const { deploymentName, buildId } = versioning;
  return `deployment ${deploymentName}, build ${buildId}: takes tasks while this build is current (rescind deployment set-current ${buildId})`;
}
