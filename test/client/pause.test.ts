/**
 * `rescind pause` and `rescind resume`, run as an operator runs them, against a real dev server,
 * the sandbox over HTTP and Rescind's workers: while PAYJS is paused its calls wait in the queue and
 * none reaches the sandbox; `rescind backlog` and the API's gauge show the pause with who and why;
 * once resumed, every run ends and each order is closed once. Bad input exits 2 naming what to fix.
 */
import { randomUUID } from 'node:crypto';
import { startCancellation } from '../../client/library.js';
import type { QueueBacklog } from '../../client/library/backlog.js';
import { cliEnvFor, startApiFor, useTestServers } from '../helpers/servers.js';
import { startTestWorkers } from '../helpers/temporal.js';
import { createSandboxOrder, orderRefOf, providerRequests, sandboxOrder } from '../helpers/sandbox-orders.js';
import { parseSamples, seriesKey } from '../platform/prometheus-text.js';
import { eventually, http, rescind } from './support.js';

const servers = useTestServers();

test('a paused provider is sent nothing, shows who paused and why, and sends every call once resumed', async () => {
  const { sandbox, temporal } = servers;
  const taskQueue = `pause-${randomUUID()}`;
  const env = cliEnvFor(servers, taskQueue);
  const payjs = async (): Promise<QueueBacklog> =>
    (JSON.parse((await rescind(['backlog', '--json'], env)).stdout) as QueueBacklog[]).find(
      (q) => q.queue === 'payjs',
    )!;
  const workers = await startTestWorkers(temporal, sandbox.config, taskQueue);
  const api = await startApiFor(servers, taskQueue);
  const pausedGauge = async () =>
    parseSamples((await http('GET', `${api.url}/metrics`)).text).get(
      seriesKey('rescind_queue_paused', { queue: 'payjs' }),
    );
  try {
    // Bad input first: nothing changes, and the message names what to fix.
    const blank = await rescind(['pause', 'payjs', '--reason', '  '], env);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('reason: say why');
    const unnamed = await rescind(['pause', 'paypal', '--reason', 'x'], env);
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain('<provider>');
    const noReason = await rescind(['pause', 'payjs'], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>'");
    expect((await payjs()).state).toBe('idle');

    const paused = await rescind(['pause', 'payjs', '--reason', 'PAYJS incident 42', '--operator', 'alice'], env);
    expect(paused).toMatchObject({ code: 0, stdout: 'payjs: paused; rescind resume payjs sends its calls again\n' });
    const shown = await payjs();
    expect(shown).toMatchObject({
      state: 'paused',
      rateLimitPerSecond: 0,
      pause: { reason: 'PAYJS incident 42', by: 'alice' },
    });
    expect(Date.now() - Date.parse(shown.pause!.since)).toBeLessThan(60_000);
    expect(await pausedGauge()).toBe(1);
    const table = await rescind(['backlog'], env);
    expect(table.stdout).toMatch(/^payjs .* paused by alice at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: PAYJS incident 42$/m);

    const before = await providerRequests(sandbox, 'payjs');
    const orders = await Promise.all(
      [301, 302, 303].map((amount) =>
        createSandboxOrder(sandbox, { provider: 'payjs', state: 'unpaid', amount, payType: 'native' }),
      ),
    );
    const started = await Promise.all(
      orders.map((order) =>
        startCancellation(temporal.client, { taskQueue }, { order: orderRefOf(order), reason: 'pause test' }),
      ),
    );
    // The three first queries wait in the paused queue (the server's count refreshes every few seconds)...
    await eventually(async () => ((await payjs()).waiting === 3 ? true : undefined), 1000);
    // ...and none of them reached PAYJS.
    expect(await providerRequests(sandbox, 'payjs')).toBe(before);

    const resumed = await rescind(['resume', 'payjs', '--operator', 'alice'], env);
    expect(resumed).toMatchObject({ code: 0, stdout: 'payjs: resumed\n' });
    const outcomes = await Promise.all(
      started.map((s) => temporal.client.workflow.getHandle(s.workflowId).result() as Promise<{ kind: string }>),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['closed_unpaid', 'closed_unpaid', 'closed_unpaid']);
    // Each order was closed, with its three calls (query, close, confirming query) sent once each.
    for (const order of orders) expect((await sandboxOrder(sandbox, 'payjs', order.orderId)).state).toBe('closed');
    expect(await providerRequests(sandbox, 'payjs')).toBe(before + 9);
    const after = await payjs();
    expect(after.pause).toBeUndefined();
    expect(after.state).not.toBe('paused');
    expect(after.rateLimitPerSecond).toBe(sandbox.config.providers.payjs!.maxRps);
    expect(await pausedGauge()).toBe(0);
  } finally {
    await api.close();
    await workers.stop();
  }
}, 180_000);
