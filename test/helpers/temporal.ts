/**
 * A real Temporal dev server for tests, started from the project-local CLI build (never a
 * download), with Rescind's search attributes registered; plus a worker wired like production.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, type NativeConnection } from '@temporalio/worker';
import { createRuntimeLogger } from '../../worker/logger.js';
import { TEMPORAL_BIN, temporalCliInstalled } from '../../scripts/install-temporal-cli.mjs';
import { dynamicConfigArgs, PRIORITY_DYNAMIC_CONFIG } from '../../scripts/task-queue-priority.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import type { Config } from '../../worker/config.js';
import { createWorkers, type RescindWorkers } from '../../worker/worker.js';

let runtimeInstalled = false;

/** `dynamicConfig` adds to (or overrides) the priority and fairness settings every test server runs with. */
export async function startTestTemporal(dynamicConfig: Record<string, unknown> = {}): Promise<TestWorkflowEnvironment> {
  if (!temporalCliInstalled()) throw new Error(`Temporal CLI missing at ${TEMPORAL_BIN}: run npm run temporal:install`);
  if (!runtimeInstalled) {
    Runtime.install({ logger: createRuntimeLogger('WARN') });
    runtimeInstalled = true;
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_BIN },
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error', ...dynamicConfigArgs({ ...PRIORITY_DYNAMIC_CONFIG, ...dynamicConfig })],
    },
  });
}

/** Start Rescind's workers (workflow + per-provider activity workers) for a test. */
export async function startTestWorkers(
  env: TestWorkflowEnvironment,
  config: Config,
  taskQueue: string,
): Promise<{ workers: RescindWorkers; stop(): Promise<void> }> {
  const workers = await createWorkers(
    { ...config, taskQueue },
    { connection: env.nativeConnection as NativeConnection, client: env.client },
  );
  const running = workers.run();
  return {
    workers,
    stop: async () => {
      workers.shutdown();
      await running;
    },
  };
}
