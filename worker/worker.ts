/**
 * Builds the workers: one for workflows on the main task queue, and one per configured provider
 * for its activities, on that provider's own task queue with a server-enforced rate limit
 * (maxTaskQueueActivitiesPerSecond holds across every worker process; docs/architecture.md, "Rate limits and secrets").
 */
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { getCancellationById, RequestError, startCancellation } from '../client/library.js';
import { createOrderSource, createReconcileActivities } from '../activities/reconcile/index.js';
import { createAdapters } from '../activities/providers/index.js';
import type { ProviderAdapter } from '../activities/providers/provider.js';
import { type ProviderId, providerTaskQueue } from '../domain/index.js';
import { dataConverterFor } from '../platform/temporal.js';
import { type Config } from './config.js';
import { loadOrThrow } from '../platform/env.js';
import { readWorkerTuning, type WorkerTuning } from './tuning.js';
import { METRICS_INTERCEPTOR_PATH, metricsSinks } from './outcome-metrics.js';
import { workerTracing } from './tracing.js';
import type { BundleRequest } from './bundle.js';
import { readSendLimitSettings, type SendLimitSettings } from '../activities/providers/send-limit/config.js';
import { installSendLimiter } from '../activities/providers/send-limit/installed.js';
import { openSendLimiter } from '../activities/providers/send-limit/open.js';
import { deploymentOptions, type WorkerVersioning } from './versioning.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The workflow code a Rescind worker runs, as `rescind replay` must run it too: the workflows and
 * the interceptor that counts outcomes through a sink, never on replay (workflows/metrics-interceptor.ts).
 */
export const WORKFLOW_CODE = {
  workflowsPath: WORKFLOWS_PATH,
  workflowInterceptorModules: [METRICS_INTERCEPTOR_PATH],
  sinks: metricsSinks,
} as const;

export interface RescindWorkers {
  workers: Worker[];
  providers: ProviderId[];
  /** Runs until shutdown() (or a shutdown signal); rejects if a worker fails. */
  run(): Promise<void>;
  shutdown(): void;
}

export interface WorkerDeps {
  connection: NativeConnection;
  /** Defaults to adapters built from config.providers. */
  adapters?: Partial<Record<ProviderId, ProviderAdapter>>;
  /** The reconciliation activities start cancellations through it. */
  client: Client;
  /**
   * Builds the workflow bundle outside this process (worker/bundle.ts) with the interceptor modules
   * the worker registers; defaults to bundling workflows/ in this process at start.
   */
  bundleWorkflows?: (request: BundleRequest) => Promise<{ code: string }>;
  /** Cache and concurrency (worker/tuning.ts); defaults to the RESCIND_WORKER_* defaults. */
  tuning?: WorkerTuning;
  /** Where provider send slots are shared (RESCIND_RATE_LIMIT_DATABASE_URL); defaults to the environment's. */
  sendLimit?: SendLimitSettings;
  /** The Worker Deployment build every worker here joins (worker/versioning.ts); none by default. */
  versioning?: WorkerVersioning;
}

export async function createWorkers(config: Config, deps: WorkerDeps): Promise<RescindWorkers> {
  const adapters = deps.adapters ?? createAdapters(config.providers);
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test installed tracing): then spans and call attributes.
  const tracing = workerTracing();
  const activities = createActivities({ adapters: tracing.adapters(adapters) });
  const namespace = config.temporal.namespace;
  // Encrypts payloads when RESCIND_PAYLOAD_KEYS is set, like every client (platform/temporal.ts).
  const dataConverter = dataConverterFor(config.temporal);
  const source = createOrderSource(config.reconcile.orderSource, config.reconcile);
  const tuning = deps.tuning ?? loadOrThrow(readWorkerTuning, {});
  const { databaseUrl } = deps.sendLimit ?? loadOrThrow(readSendLimitSettings);
  // Every worker of the process joins the same build, so a run's provider calls go to its build's workers.
  const versioned = deps.versioning ? { workerDeploymentOptions: deploymentOptions(deps.versioning) } : {};
  const workflowWorkerOptions = tracing.apply({
    connection: deps.connection,
    namespace,
    dataConverter,
    taskQueue: config.taskQueue,
    ...versioned,
    ...tuning,
    workflowsPath: WORKFLOW_CODE.workflowsPath,
    interceptors: { workflowModules: [...WORKFLOW_CODE.workflowInterceptorModules] },
    sinks: WORKFLOW_CODE.sinks,
    // Provider calls run on the provider queues below; only reconciliation's run here.
    activities: createReconcileActivities({
      source,
      cancellations: {
        // Stuck orders queue behind live cancellations on the provider queues (domain/priority.ts).
        start: (request) =>
          startCancellation(deps.client, { taskQueue: config.taskQueue, priority: 'reconciliation' }, request),
        view: (workflowId) => getCancellationById(deps.client, workflowId),
        isInvalidRequest: (err) => err instanceof RequestError,
      },
    }),
  });
  const workers: Worker[] = [await Worker.create(await withBundle(workflowWorkerOptions, deps.bundleWorkflows))];
  const providers = Object.keys(adapters) as ProviderId[];
  for (const provider of providers) {
    const providerConfig = config.providers[provider];
    workers.push(
      await Worker.create(
        tracing.apply({
          connection: deps.connection,
          namespace,
          dataConverter,
          taskQueue: providerTaskQueue(config.taskQueue, provider),
          ...versioned,
          activities,
          maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivityTaskExecutions,
          // A stopping worker lets provider calls under way finish (worker/tuning.ts).
          shutdownGraceTime: tuning.shutdownGraceTime,
          maxTaskQueueActivitiesPerSecond: providerConfig?.maxRps,
        }),
      ),
    );
  }
  // Each provider request also takes a send slot shared through PostgreSQL, when configured (docs/architecture.md).
  const limiter = databaseUrl && providers.length > 0 ? openSendLimiter(databaseUrl, config.providers) : undefined;
  const uninstallLimiter = limiter && installSendLimiter(limiter);
  return {
    workers,
    providers,
    run: async () => {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        uninstallLimiter?.();
        await limiter?.close();
      }
    },
    shutdown: () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      void source.close();
    },
  };
}

/** The options with a bundle built by `bundle` in place of workflowsPath; a bundle carries its interceptor modules. */
async function withBundle(options: WorkerOptions, bundle: WorkerDeps['bundleWorkflows']): Promise<WorkerOptions> {
  if (!bundle || !options.workflowsPath) return options;
  const workflowInterceptorModules = options.interceptors?.workflowModules ?? [];
  const { code } = await bundle({ workflowsPath: options.workflowsPath, workflowInterceptorModules });
  return {
    ...options,
    workflowsPath: undefined,
    workflowBundle: { code },
    interceptors: { ...options.interceptors, workflowModules: [] },
  };
}
