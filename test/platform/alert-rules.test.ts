/**
 * The Prometheus alerting rules in ops/prometheus: promtool reads them and runs their unit tests
 * (each alert fires on the series that should raise it and stays quiet on its near misses), and
 * every metric they read is one Rescind serves: its own (rescind_*), and the Temporal SDK's
 * (temporal_*) as a real `rescind worker` serves them, the failed-workflow-task counter included,
 * raised here the way a bad deploy raises it.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cancellationWorkflowId } from '../../domain/index.js';
import { freeLoopbackAddress } from '../../platform/metrics/endpoint.js';
import { PROMTOOL_BIN } from '../../scripts/install-promtool.mjs';
import { cancelOrder } from '../../workflows/cancel-order.js';
import { startRescind } from '../client/support.js';
import { createSandboxOrder } from '../helpers/sandbox-orders.js';
import { FAST } from '../helpers/stack.js';
import { startRunsOfAnotherShape } from '../helpers/runs-of-another-shape.js';
import { useTestServers } from '../helpers/servers.js';
import { stackWorkerEnv } from '../helpers/worker-process-env.js';
import { exportedRescindNames } from './exported-metrics.js';
import { parseSamples } from './prometheus-text.js';

const execFileAsync = promisify(execFile);
const RULES_DIR = fileURLToPath(new URL('../../ops/prometheus/', import.meta.url));
const rules = readFileSync(`${RULES_DIR}rescind-alerts.yml`, 'utf8');

/** The metric names the rules read (runbook text names commands and variables, never a lowercase metric). */
const namesIn = (prefix: string): string[] => [...new Set(rules.match(new RegExp(`\\b${prefix}_\\w+`, 'g')) ?? [])];

/** Run the promtool `npm test` builds (scripts/install-promtool.mjs) in the rules' folder. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(PROMTOOL_BIN, args, { cwd: RULES_DIR });
    return stdout + stderr;
  } catch (err) {
    const { code, stdout, stderr } = err as { code?: string | number; stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} exited ${code}:\n${stdout}${stderr}`);
  }
}

it('promtool reads the rules and their unit tests pass', async () => {
  expect(await promtool('check', 'rules', 'rescind-alerts.yml')).toContain('SUCCESS: 14 rules found');
  expect(await promtool('test', 'rules', 'rescind-alerts.test.yml')).toContain('SUCCESS');
});

it('every rescind_* metric the rules read is one Rescind exports', () => {
  const used = namesIn('rescind');
  expect(used.length).toBeGreaterThan(0);
  const exported = exportedRescindNames();
  expect(used.filter((name) => !exported.has(name))).toEqual([]);
});

describe('the Temporal SDK metrics the rules read', () => {
  const servers = useTestServers();

  it('a rescind worker serves each of them, and counts a nondeterministic task as a bad deploy would', async () => {
    const taskQueue = `alerts-${randomUUID()}`;
    // A run an earlier build of another shape started on this queue, then left.
    const [stale] = await startRunsOfAnotherShape(servers.temporal, taskQueue, 1);
    const address = await freeLoopbackAddress();
    const worker = await startRescind(
      ['worker'],
      stackWorkerEnv(servers.temporal, servers.sandbox, taskQueue, { RESCIND_METRICS_ADDRESS: address }),
      /\[rescind\] worker on .*\n/,
    );
    try {
      // One cancellation this build runs, so the workflow and activity histograms have samples.
      const paid = await createSandboxOrder(servers.sandbox, {
        provider: 'qfpay',
        state: 'paid',
        amount: 900,
        payType: '800201',
      });
      const outcome = await servers.temporal.client.workflow.execute(cancelOrder, {
        taskQueue,
        workflowId: cancellationWorkflowId(paid.provider, paid.merchantId, paid.orderId),
        args: [{ order: paid, reason: 'alert rules test', cadence: FAST }],
      });
      expect(outcome).toMatchObject({ kind: 'refunded' });

      // A signal gives the earlier run a workflow task: this build's code cannot continue its history.
      await stale!.signal('wake');
      let keys: string[] = [];
      let failedTasks: string[] = [];
      const deadline = Date.now() + 60_000;
      while (failedTasks.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        keys = [...parseSamples(await (await fetch(`http://${address}/metrics`)).text()).keys()];
        failedTasks = keys.filter((key) => key.startsWith('temporal_workflow_task_execution_failed{'));
      }
      expect(failedTasks).toEqual([expect.stringContaining('failure_reason="NonDeterminismError"')]);
      expect(failedTasks[0]).toContain(`task_queue="${taskQueue}"`);

      const names = new Set(keys.map((key) => key.split('{')[0]!));
      const used = namesIn('temporal');
      expect(used.length).toBeGreaterThanOrEqual(3);
      expect(used.filter((name) => !names.has(name))).toEqual([]);
      // The rules' thresholds (5000, 600000) are milliseconds: the SDK's buckets run from 100 ms to 1,000 s.
      const bounds = (name: string) =>
        keys.filter((k) => k.startsWith(`${name}{`)).map((k) => k.match(/le="([^"]+)"/)?.[1]);
      for (const name of [
        'temporal_workflow_task_schedule_to_start_latency_bucket',
        'temporal_activity_schedule_to_start_latency_bucket',
      ])
        expect(new Set(bounds(name))).toEqual(
          new Set(['100', '500', '1000', '5000', '10000', '100000', '1000000', '+Inf']),
        );
    } finally {
      await stale!.terminate('alert rules test over');
      expect(await worker.stop()).toBe(0);
    }
  }, 120_000);
});
