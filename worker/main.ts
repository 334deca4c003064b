/**
 * `rescind worker` / `node worker/main.ts`: run the Rescind workers against the configured
 * Temporal cluster until SIGINT or SIGTERM.
 */
import { configuredProviders } from '../activities/providers/index.js';
import { loadOrThrow, readVariables, type Env } from '../platform/env.js';
import { loadMetricsAddress } from '../platform/metrics/address.js';
import { loadConfig, WORKER_ENV } from './config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { createRuntimeLogger } from './logger.js';
import { installWorkerRuntime } from './metrics-runtime.js';
import { describeHeapLimit, heapLimitMiB, readWorkerTuning } from './tuning.js';
import { bundleWorkflowsInChild } from './bundle.js';
import { createWorkers } from './worker.js';
import { describeVersioning, readWorkerVersioning } from './versioning.js';
import { checkNamespace } from '../client/library/namespace-setup.js';

export interface WorkerRole {
  /** Run workflows and reconciliation only, with no provider activity workers. */
  reconcileOnly: boolean;
}

/** What this worker runs; a worker that would call no provider without saying so is a problem. */
export function readWorkerRole(env: Env, providerIds: readonly string[], problems: string[]): WorkerRole {
  const { RESCIND_WORKER_RECONCILE_ONLY: reconcileOnly } = readVariables(WORKER_ENV, env, problems);
  // undefined: the variable itself was refused (and reported); false: this worker must call a provider.
  if (reconcileOnly === false && providerIds.length === 0) {
    problems.push(
      "no provider is configured: set one provider's credentials (PAYJS_*, QFPAY_*, WECHATPAY_* or PINGPP_*; see the README's Configuration), " +
        'or set RESCIND_WORKER_RECONCILE_ONLY=true for a worker that runs only workflows and reconciliation while other workers call the providers',
    );
  }
  return { reconcileOnly: reconcileOnly === true };
}

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const providers = configuredProviders(config.providers).map((p) => p.descriptor.id);
  // Checked before connecting: a worker that can call no provider stops with what to set.
  const role = loadOrThrow((env, problems) => readWorkerRole(env, providers, problems));
  const tuning = loadOrThrow(readWorkerTuning);
  const versioning = loadOrThrow((env, problems) => readWorkerVersioning(env, config.taskQueue, problems));
  const metricsAddress = loadMetricsAddress();
  const metrics = await installWorkerRuntime(
    { logger: createRuntimeLogger('INFO'), shutdownSignals: ['SIGINT', 'SIGTERM'] },
    metricsAddress,
  );
  if (metrics) console.log(`[rescind] metrics (Rescind and the Temporal SDK) at ${metrics.url}`);
  const connection = await connectWorker(config.temporal);
  const client = await connectClient(config.temporal);
  try {
    // A namespace without Rescind's search attributes refuses every start: say so now, not per start.
    await checkNamespace(client);
    const workers = await createWorkers(config, {
      connection,
      client,
      tuning,
      versioning,
      // Bundled in a child process: webpack's memory must not stay in the worker (worker/bundle.ts).
      bundleWorkflows: bundleWorkflowsInChild,
      ...(role.reconcileOnly ? { adapters: {} } : {}),
    });
    const runs = role.reconcileOnly
      ? 'workflows and reconciliation only (RESCIND_WORKER_RECONCILE_ONLY=true): provider calls are left to workers with provider credentials'
      : `providers: ${workers.providers.join(', ')}`;
    console.log(
      `[rescind] worker on ${config.temporal.address} namespace ${config.temporal.namespace}, task queue ${config.taskQueue}; ${runs}; ` +
        `${tuning.maxCachedWorkflows} runs cached at most, ${describeHeapLimit(heapLimitMiB())}; ${describeVersioning(versioning)}`,
    );
    await workers.run();
  } finally {
    await client.connection.close();
    await connection.close();
    await metrics?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorker().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
