/**
 * `rescind worker` runs workflows from a bundle built in a child process (worker/bundle.ts), not by
 * webpack inside the worker: the worker's own log never says it created a bundle, yet a cancellation
 * runs to its outcome, the metrics interceptor carried in that bundle counts it, and the run's
 * history replays against a bundle built the same way (tracing off, metrics interceptor on). Started
 * with the heap flag production uses, the worker's start line reports that limit.
 */
import { Worker } from '@temporalio/worker';
import { cancellationWorkflowId } from '../../domain/index.js';
import { freeLoopbackAddress } from '../../platform/metrics/endpoint.js';
import { cancelOrder } from '../../workflows/cancel-order.js';
import { bundleWorkflowsInChild } from '../../worker/bundle.js';
import { METRICS_INTERCEPTOR_PATH, metricsSinks } from '../../worker/outcome-metrics.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { WORKER_HEAP_MIB } from '../../worker/tuning.js';
import { startRescind } from '../client/support.js';
import { createSandboxOrder } from '../helpers/sandbox-orders.js';
import { FAST } from '../helpers/stack.js';
import { useTestServers } from '../helpers/servers.js';
import { parseSamples, seriesKey } from '../platform/prometheus-text.js';
import { stackWorkerEnv } from '../helpers/worker-process-env.js';

const TASK_QUEUE = 'prebuilt-bundle-test';

describe('rescind worker with a workflow bundle built outside its process', () => {
  const servers = useTestServers();

  it('runs a cancellation to its outcome with the metrics interceptor, and its history replays', async () => {
    const address = await freeLoopbackAddress();
    const env = stackWorkerEnv(servers.temporal, servers.sandbox, TASK_QUEUE, {
      RESCIND_METRICS_ADDRESS: address,
      // As the Dockerfile and docker-compose.yml run it (worker/tuning.ts).
      NODE_OPTIONS: `--max-old-space-size=${WORKER_HEAP_MIB}`,
    });
    const worker = await startRescind(['worker'], env, /\[rescind\] worker on .*\n/);
    let workflowId: string;
    try {
      // The heap flag reached the worker: old space 192 MiB plus the young generation, well under node's default.
      const limit = Number(/V8 heap limit (\d+) MiB/.exec(worker.output())?.[1]);
      expect(limit).toBeGreaterThanOrEqual(WORKER_HEAP_MIB);
      expect(limit).toBeLessThan(WORKER_HEAP_MIB + 100);
      expect(worker.output()).toContain('200 runs cached at most');
      // The SDK logs this (at INFO, the worker's level) only when webpack bundles in the worker itself.
      expect(worker.output()).not.toContain('Workflow bundle created');
      const order = await createSandboxOrder(servers.sandbox, {
        provider: 'qfpay',
        state: 'paid',
        amount: 1200,
        payType: '800201',
      });
      workflowId = cancellationWorkflowId(order.provider, order.merchantId, order.orderId);
      const outcome = await servers.temporal.client.workflow.execute(cancelOrder, {
        taskQueue: TASK_QUEUE,
        workflowId,
        args: [{ order, reason: 'prebuilt bundle test', cadence: FAST }],
      });
      expect(outcome).toMatchObject({ kind: 'refunded', amount: 1200 });
      // Counted by workflows/metrics-interceptor.ts: present only if the bundle carries it.
      const samples = parseSamples(await (await fetch(`http://${address}/metrics`)).text());
      expect(samples.get(seriesKey('rescind_outcomes_total', { provider: 'qfpay', outcome: 'refunded' }))).toBe(1);
      expect(worker.output()).not.toContain('Workflow bundle created');
    } finally {
      expect(await worker.stop()).toBe(0);
    }

    const history = await servers.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    const bundle = await bundleWorkflowsInChild({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [METRICS_INTERCEPTOR_PATH],
    });
    await Worker.runReplayHistory({ workflowBundle: bundle, sinks: metricsSinks }, history, workflowId);
  });
});
