/**
 * The brakes on a provider hold for versioned workers (worker/versioning.ts), through a switch of
 * builds: `rescind pause` stops every call of either build, and the provider's rate limit
 * (PAYJS_MAX_RPS, with the send slots two workers share through RESCIND_RATE_LIMIT_DATABASE_URL, as
 * the README asks of several workers) holds at the sandbox while the runs the old build started are
 * finished by the new one. Real dev server, sandbox over HTTP, PostgreSQL, two `rescind worker` processes.
 */
import { startCancellation } from '../../client/library.js';
import { mostInWindow, recordArrivals, windowFigures } from '../cluster/arrivals.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import {
  createSandboxOrder,
  providerRequests,
  moneyMoves,
  orderRefOf,
  sandboxOrder,
} from '../helpers/sandbox-orders.js';
import { useTestServers } from '../helpers/servers.js';
import { versionedWorkers } from '../helpers/worker-process-env.js';
import { eventually, rescind, startRescind } from '../client/support.js';

const READY = /\[rescind\] worker on .*\n/;
const LIMIT = 2;
const ORDERS = 12;
const servers = useTestServers();
let slots: TestDatabase;
beforeAll(async () => {
  slots = await createTestDatabase();
});
afterAll(async () => {
  await slots?.drop();
});

test('a pause stops both builds, and the PAYJS limit holds at the sandbox across a switch of builds', async () => {
  const { temporal, sandbox } = servers;
  const { taskQueue, env } = versionedWorkers(temporal, sandbox, 'versioned-limits', {
    PAYJS_MAX_RPS: String(LIMIT),
    RESCIND_RATE_LIMIT_DATABASE_URL: slots.url,
  });
  const cli = env('cli');
  const old = await startRescind(['worker'], env('v1'), READY);
  let next: Awaited<ReturnType<typeof startRescind>> | undefined;
  const arrivals = recordArrivals(sandbox.sandbox, '/payjs/');
  try {
    await eventually(
      async () => ((await rescind(['deployment', 'set-current', 'v1'], cli)).code === 0 ? true : undefined),
      500,
    );
    expect((await rescind(['pause', 'payjs', '--reason', 'rollout drill'], cli)).code).toBe(0);

    const orders = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        createSandboxOrder(sandbox, { provider: 'payjs', state: 'unpaid', amount: 500 + i, payType: 'native' }),
      ),
    );
    const started = await Promise.all(
      orders.map((order) =>
        startCancellation(temporal.client, { taskQueue }, { order: orderRefOf(order), reason: 'versioned limits' }),
      ),
    );
    next = await startRescind(['worker'], env('v2'), READY);
    await eventually(
      async () => ((await rescind(['deployment', 'set-current', 'v2'], cli)).code === 0 ? true : undefined),
      500,
    );
    // Every first query waits in the paused queue, whichever build it was scheduled for.
    await eventually(async () => {
      const queues = JSON.parse((await rescind(['backlog', '--json'], cli)).stdout) as {
        queue: string;
        waiting: number;
      }[];
      return queues.find((q) => q.queue === 'payjs')!.waiting === ORDERS ? true : undefined;
    }, 500);
    expect(await providerRequests(sandbox, 'payjs')).toBe(0);

    expect((await rescind(['resume', 'payjs'], cli)).code).toBe(0);
    const outcomes = await Promise.all(
      started.map(({ workflowId }) => temporal.client.workflow.getHandle(workflowId).result()),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(Array(ORDERS).fill('closed_unpaid'));
    for (const order of orders) {
      expect((await sandboxOrder(sandbox, 'payjs', order.orderId)).state).toBe('closed');
      expect(await moneyMoves(sandbox, order)).toMatchObject({ returned: 0, overReturned: 0 });
    }

    const times = arrivals.times();
    // A query, a close and a confirming query per order.
    expect(times).toHaveLength(ORDERS * 3);
    const windows = [1, 2, 5].map((seconds) => ({ seconds, ...windowFigures(times, seconds * 1000) }));
    console.log(
      `PAYJS at ${LIMIT}/s across builds v1 and v2: ${times.length} requests in ${windows[0]!.spanSeconds.toFixed(1)} s ` +
        `(mean ${windows[0]!.meanRate.toFixed(2)}/s), busiest window ${windows.map((w) => `of ${w.seconds} s: ${w.maxInWindow}`).join(', ')}`,
    );
    for (const w of windows) expect(w.maxInWindow).toBeLessThanOrEqual(mostInWindow(LIMIT, w.seconds));
  } finally {
    arrivals.stop();
    await next?.stop();
    await old.stop();
  }
});
