/**
 * `rescind backlog`, run as an operator runs it, and the API's rescind_queue_* gauges, against a real
 * dev server: provider calls waiting on a queue no worker polls are counted by class (live,
 * reconciliation) and reported unserved (exit 1); once the workers are redeployed with PAYJS and a
 * rate limit, the calls are sent, the cancellations end, and the queue reads idle with the worker and
 * its limit (exit 0).
 */
import { randomUUID } from 'node:crypto';
import { startCancellation } from '../../client/library.js';
import type { QueueBacklog } from '../../client/library/backlog.js';
import type { Config } from '../../worker/config.js';
import { cliEnvFor, startApiFor, useTestServers } from '../helpers/servers.js';
import { startTestWorkers } from '../helpers/temporal.js';
import { createSandboxOrder, orderRefOf } from '../helpers/sandbox-orders.js';
import { parseSamples, seriesKey } from '../platform/prometheus-text.js';
import { eventually, http, rescind } from './support.js';

const servers = useTestServers();

async function backlog(taskQueue: string) {
  const res = await rescind(['backlog', '--json'], cliEnvFor(servers, taskQueue));
  if (res.stderr) throw new Error(`rescind backlog wrote to stderr: ${res.stderr}`);
  const queues = JSON.parse(res.stdout) as QueueBacklog[];
  return { code: res.code, queues, of: (queue: string) => queues.find((q) => q.queue === queue)! };
}

/** The API's /metrics for the queue, as `name{labels}` → value. */
async function gauges(apiUrl: string, queue: string): Promise<Record<string, number>> {
  const samples = parseSamples((await http('GET', `${apiUrl}/metrics`)).text);
  return Object.fromEntries(
    [...samples].filter(([key]) => key.startsWith('rescind_queue_') && key.includes(`queue="${queue}"`)),
  );
}

test('calls waiting for PAYJS with no worker read unserved, by class; workers with PAYJS and a limit drain them', async () => {
  const { sandbox, temporal } = servers;
  const taskQueue = `backlog-${randomUUID()}`;
  // Every provider but PAYJS: its calls wait on rescind-payjs with nobody to send them.
  const { payjs, ...others } = sandbox.config.providers;
  const withoutPayjs = await startTestWorkers(temporal, { ...sandbox.config, providers: others } as Config, taskQueue);
  let allProviders: Awaited<ReturnType<typeof startTestWorkers>> | undefined;
  const api = await startApiFor(servers, taskQueue);
  try {
    const orders = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        createSandboxOrder(sandbox, { provider: 'payjs', state: 'unpaid', amount: 100 + i, payType: 'native' }),
      ),
    );
    const started = await Promise.all(
      orders.map((order, i) =>
        startCancellation(
          temporal.client,
          { taskQueue, priority: i < 4 ? 'live' : 'reconciliation' },
          { order: orderRefOf(order), reason: 'backlog test' },
        ),
      ),
    );

    // The server refreshes its counts every few seconds.
    const unserved = await eventually(async () => {
      const b = await backlog(taskQueue);
      return b.of('payjs').waiting === 7 ? b : undefined;
    }, 1000);
    expect(unserved.code).toBe(1);
    expect(unserved.of('payjs')).toMatchObject({
      taskQueue: `${taskQueue}-payjs`,
      waitingByClass: { live: 4, reconciliation: 3, other: 0 },
      workers: 0,
      state: 'unserved',
    });
    expect(unserved.of('payjs').oldestSeconds).toBeGreaterThanOrEqual(0);
    // The workflow queue and the providers that have a worker are served, with nothing waiting.
    expect(unserved.of('workflows')).toMatchObject({ waiting: 0, state: 'idle' });
    expect(unserved.of('workflows').workers).toBeGreaterThanOrEqual(1);
    expect(unserved.of('wechatpay')).toMatchObject({ waiting: 0, workers: 1, state: 'idle' });

    // The same figures on the API's /metrics, for Prometheus (ops/prometheus/rescind-alerts.yml).
    expect(await gauges(api.url, 'payjs')).toEqual({
      [seriesKey('rescind_queue_tasks_waiting', { queue: 'payjs', class: 'live' })]: 4,
      [seriesKey('rescind_queue_tasks_waiting', { queue: 'payjs', class: 'reconciliation' })]: 3,
      [seriesKey('rescind_queue_tasks_waiting', { queue: 'payjs', class: 'other' })]: 0,
      [seriesKey('rescind_queue_oldest_task_seconds', { queue: 'payjs' })]: expect.any(Number),
      [seriesKey('rescind_queue_tasks_sent_per_second', { queue: 'payjs' })]: 0,
      [seriesKey('rescind_queue_workers', { queue: 'payjs' })]: 0,
      [seriesKey('rescind_queue_paused', { queue: 'payjs' })]: 0,
      [seriesKey('rescind_queue_other_build_workers', { queue: 'payjs' })]: 0,
    });

    const text = await rescind(['backlog'], cliEnvFor(servers, taskQueue));
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^queue\s+waiting\s+live\s+recon\.\s+other\s+oldest/m);
    expect(text.stdout).toMatch(/^payjs\s+7\s+4\s+3\s+0\s+.*unserved: no worker polls this queue$/m);

    // The workers are redeployed with PAYJS configured, sending at most 2 requests a second.
    await withoutPayjs.stop();
    allProviders = await startTestWorkers(
      temporal,
      { ...sandbox.config, providers: { ...others, payjs: { ...payjs!, maxRps: 2 } } } as Config,
      taskQueue,
    );
    const outcomes = await Promise.all(
      started.map((s) => temporal.client.workflow.getHandle(s.workflowId).result() as Promise<{ kind: string }>),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(Array(7).fill('closed_unpaid'));

    const drained = await eventually(async () => {
      const b = await backlog(taskQueue);
      return b.of('payjs').waiting === 0 && b.of('payjs').workers === 1 ? b : undefined;
    }, 1000);
    expect(drained.code).toBe(0);
    expect(drained.of('payjs')).toMatchObject({ state: 'idle', rateLimitPerSecond: 2 });
    expect(drained.of('payjs').sentPerSecond).toBeGreaterThan(0);
    const after = await gauges(api.url, 'payjs');
    expect(after).toMatchObject({
      [seriesKey('rescind_queue_rate_limit_per_second', { queue: 'payjs' })]: 2,
      [seriesKey('rescind_queue_workers', { queue: 'payjs' })]: 1,
    });
  } finally {
    await api.close();
    await allProviders?.stop();
    await withoutPayjs.stop(); // a second stop waits for the same end
  }
}, 180_000);
