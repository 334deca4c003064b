/**
 * Past one machine: Rescind on the production-shaped Temporal cluster (the server built from its Go
 * module, on PostgreSQL; test/helpers/cluster.ts), with two `rescind worker` processes sharing the
 * work. One is killed -9 mid-batch and every cancellation still ends exactly once. With the send
 * limiter shared through PostgreSQL (RESCIND_RATE_LIMIT_DATABASE_URL), a provider's *_MAX_RPS holds
 * across both, measured where the requests arrive (the sandbox) over windows of 1, 2 and 5 seconds
 * and the whole run, with the tolerance explained at SEND_JITTER_SECONDS (./arrivals.ts); the figures are printed.
 * Versioned workers of two builds switch at `rescind deployment set-current` (worker/versioning.ts).
 */
import type { Client } from '@temporalio/client';
import { startCancellation, listRuns, type Outcome } from '../../client/library.js';
import type { ProviderId } from '../../domain/index.js';
import { FAST, type LedgerSummary, type SandboxOrderView } from '../helpers/stack.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startTestCluster, startWorkerProcess, type TestCluster, type WorkerProcess } from '../helpers/cluster.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { SLOT_TABLE } from '../../activities/providers/send-limit/slots.js';
import { mostInWindow, recordArrivals, windowFigures } from './arrivals.js';
import { eventually, rescind } from '../client/support.js';
import { orderRefOf } from '../helpers/sandbox-orders.js';

// The default queue: cluster/dynamic-config.yaml sizes the partitions of its provider queues.
const TASK_QUEUE = 'rescind';
// PENDING_ACTIVITY_STATE_STARTED in the Temporal API's PendingActivityState: a worker is running it.
const PENDING_ACTIVITY_STARTED = 2;

let cluster: TestCluster;
let sandbox: TestSandbox;
let slotsDatabase: TestDatabase;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  sandbox = await startTestSandbox();
  slotsDatabase = await createTestDatabase();
}, 300_000);

// A test that failed half-way leaves its workers polling: they would take the next test's tasks.
afterEach(async () => {
  for (const w of workers.splice(0)) await w.kill();
});

afterAll(async () => {
  await sandbox?.close();
  await slotsDatabase?.drop();
  await cluster?.stop();
}, 60_000);

const workerEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...sandbox.env,
  TEMPORAL_ADDRESS: cluster.address,
  TEMPORAL_NAMESPACE: 'default',
  RESCIND_TASK_QUEUE: TASK_QUEUE,
  ...extra,
});

async function startWorker(extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const worker = await startWorkerProcess(workerEnv(extra));
  workers.push(worker);
  return worker;
}

const order = (input: { provider: ProviderId; state: string; amount: number }): Promise<SandboxOrderView> =>
  sandbox.admin('POST', '/orders', input);

async function cancel(o: SandboxOrderView): Promise<string> {
  const { workflowId } = await startCancellation(
    cluster.client,
    { taskQueue: TASK_QUEUE },
    {
      order: {
        provider: o.provider,
        merchantId: o.merchantId,
        orderId: o.orderId,
        providerOrderId: o.providerOrderId,
        amount: o.amount,
        currency: o.currency,
        payType: o.payType,
        createdAt: o.createdAt,
      },
      reason: 'cluster test',
      cadence: FAST,
    },
  );
  return workflowId;
}

type HistoryEvent = NonNullable<
  Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']
>[number];

async function historyEvents(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** Which worker process completed each activity task, from the histories (the identity is `<pid>@<host>`). */
async function activityCompletionsBy(workflowIds: string[], worker: WorkerProcess): Promise<number> {
  let count = 0;
  for (const id of workflowIds) {
    for (const e of await historyEvents(cluster.client, id)) {
      if (e.activityTaskCompletedEventAttributes?.identity?.startsWith(worker.identityPrefix)) count++;
    }
  }
  return count;
}

/**
 * When the server handed each activity task to a worker (its ActivityTaskStarted event, ms), and how
 * many dispatches there were in all (an event records its activity's last attempt and its number).
 */
async function dispatchesOf(workflowIds: string[]): Promise<{ times: number[]; attempts: number }> {
  const times: number[] = [];
  let attempts = 0;
  for (const id of workflowIds) {
    for (const e of await historyEvents(cluster.client, id)) {
      const started = e.activityTaskStartedEventAttributes;
      if (!started || !e.eventTime) continue;
      times.push(Number(e.eventTime.seconds) * 1000 + (e.eventTime.nanos ?? 0) / 1e6);
      attempts += started.attempt ?? 1;
    }
  }
  return { times: times.sort((x, y) => x - y), attempts };
}

/** The writes the sandbox holds unanswered in the first test: an attempt lasts until the worker gives up on it. */
const HELD_WRITES = ['closeOrder', 'reverseOrder', 'refundOrder'];

/**
 * A held write STARTED on `worker` right now, if any: workflow id and activity id. Only a held one:
 * a query could complete on the worker between this look and the kill.
 */
async function inFlightOn(
  workflowIds: string[],
  worker: WorkerProcess,
): Promise<{ workflowId: string; activityId: string } | undefined> {
  for (const workflowId of workflowIds) {
    const { raw } = await cluster.client.workflow.getHandle(workflowId).describe();
    for (const a of raw.pendingActivities ?? []) {
      const held = HELD_WRITES.includes(a.activityType?.name ?? '');
      if (held && a.state === PENDING_ACTIVITY_STARTED && a.lastWorkerIdentity?.startsWith(worker.identityPrefix))
        return { workflowId, activityId: a.activityId! };
    }
  }
  return undefined;
}

async function until<T>(probe: () => Promise<T | undefined | false>, pauseMs = 250): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

describe('two worker processes on the cluster', () => {
  it('share the work; one killed -9 mid-batch, every cancellation still ends exactly once', async () => {
    const a = await startWorker();
    const b = await startWorker();
    // Hold every first write unanswered (nothing applied; the worker's client gives up after its own
    // timeout and the activity retries), so that once the queries are done, writes stay in flight
    // long enough to kill a worker in the middle of one. Ping++ has no close: it reverses.
    for (const provider of ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const) {
      for (const call of ['refund', provider === 'pingpp' ? 'reverse' : 'close']) {
        await sandbox.admin('POST', '/faults', { provider, call, kind: 'timeout', holdMs: 60_000, count: 2 });
      }
    }
    const orders: SandboxOrderView[] = [];
    for (const provider of ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const) {
      for (const state of ['paid', 'paid', 'unpaid', 'unpaid'])
        orders.push(await order({ provider, state, amount: 1000 + orders.length * 7 }));
    }
    const ids = await Promise.all(orders.map(cancel));

    // Mid-batch: both workers have finished activities, and A has one in flight (a held write).
    const inFlight = await until(async () => {
      if ((await activityCompletionsBy(ids, a)) === 0 || (await activityCompletionsBy(ids, b)) === 0) return undefined;
      return inFlightOn(ids, a);
    });
    await a.kill();
    expect(a.child.signalCode).toBe('SIGKILL');

    const outcomes = await Promise.all(
      ids.map((id) => cluster.client.workflow.getHandle(id).result() as Promise<Outcome>),
    );

    // Every cancellation ended with the outcome its order calls for ...
    orders.forEach((o, i) => {
      if (o.state === 'paid') expect(outcomes[i]).toMatchObject({ kind: 'refunded', amount: o.amount });
      else expect(['closed_unpaid', 'reversed']).toContain(outcomes[i]!.kind);
    });
    // ... in exactly one run per order ...
    for (const id of ids) {
      const runs = await until(async () => {
        const listed = await listRuns(cluster.client, id);
        return listed.length > 0 && listed.every((r) => r.status === 'COMPLETED') && listed;
      });
      expect(runs).toHaveLength(1);
    }
    // ... and the money moved once: each paid order refunded in full by one refund, nothing else returned.
    const ledger: LedgerSummary = await sandbox.admin('GET', '/ledger');
    expect(ledger.overReturned).toEqual([]);
    for (const o of orders) {
      const row = ledger.orders.find((r) => r.orderId === o.orderId);
      if (o.state === 'paid') expect(row).toMatchObject({ paid: o.amount, returned: o.amount, refundCount: 1 });
      else expect(row?.returned ?? 0).toBe(0);
    }
    // The activity A was running when it died was retried, and B ran the attempt that completed it.
    const events = await historyEvents(cluster.client, inFlight.workflowId);
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityId === inFlight.activityId);
    const started = events.find(
      (e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId),
    );
    expect(started?.activityTaskStartedEventAttributes).toMatchObject({
      identity: expect.stringMatching(new RegExp(`^${b.identityPrefix}`)),
      attempt: expect.any(Number),
    });
    expect(started!.activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2);
    console.log(
      `[cluster] ${ids.length} cancellations; before the kill A completed ${await activityCompletionsBy(ids, a)} activities, ` +
        `B ${await activityCompletionsBy(ids, b)} by the end; A was killed running activity ${inFlight.activityId} of ${inFlight.workflowId}`,
    );
    await b.stop();
  }, 480_000);

  it('hold each provider rate limit across both with the shared send limiter (QFPay 6/s, PAYJS 2/s): at most limit x (W + 0.5) + 1 requests in any W seconds at the sandbox', async () => {
    await sandbox.admin('DELETE', '/faults');
    // The defaults, spelled out: cluster/dynamic-config.yaml gives these queues as many partitions.
    const limits = { qfpay: 6, payjs: 2 } as const;
    const env = {
      QFPAY_MAX_RPS: String(limits.qfpay),
      PAYJS_MAX_RPS: String(limits.payjs),
      RESCIND_RATE_LIMIT_DATABASE_URL: slotsDatabase.url,
    };
    const c = await startWorker(env);
    const d = await startWorker(env);
    // A few cancellations first, so the measurement is of warm workers rather than their first calls.
    const warmUp: SandboxOrderView[] = [];
    for (const provider of ['qfpay', 'payjs'] as const)
      for (let i = 0; i < 4; i++) warmUp.push(await order({ provider, state: 'paid', amount: 500 + i }));
    await Promise.all(
      (await Promise.all(warmUp.map(cancel))).map((id) => cluster.client.workflow.getHandle(id).result()),
    );

    await sandbox.admin('DELETE', '/requests');
    const arrivals = {
      qfpay: recordArrivals(sandbox.sandbox, '/qfpay/'),
      payjs: recordArrivals(sandbox.sandbox, '/payjs/'),
    };
    const orders: SandboxOrderView[] = [];
    for (let i = 0; i < 24; i++) orders.push(await order({ provider: 'qfpay', state: 'paid', amount: 2000 + i }));
    for (let i = 0; i < 8; i++) orders.push(await order({ provider: 'payjs', state: 'paid', amount: 3000 + i }));
    const ids = await Promise.all(orders.map(cancel));
    const outcomes = await Promise.all(
      ids.map((id) => cluster.client.workflow.getHandle(id).result() as Promise<Outcome>),
    );
    for (const log of Object.values(arrivals)) log.stop();
    outcomes.forEach((o, i) => expect(o).toMatchObject({ kind: 'refunded', amount: orders[i]!.amount }));

    const counted = (await sandbox.admin('GET', '/requests')) as { routes: { route: string; count: number }[] };
    for (const provider of ['qfpay', 'payjs'] as const) {
      const limit = limits[provider];
      const providerIds = ids.filter((_, i) => orders[i]!.provider === provider);
      const dispatches = await dispatchesOf(providerIds);
      const atServer = windowFigures(dispatches.times);
      const times = arrivals[provider].times();
      const atSandbox = [1, 2, 5].map((seconds) => ({ seconds, ...windowFigures(times, seconds * 1000) }));
      const byC = await activityCompletionsBy(providerIds, c);
      const byD = await activityCompletionsBy(providerIds, d);
      console.log(
        `[cluster] ${provider} at ${limit}/s across two workers (C ran ${byC} calls, D ${byD}): ` +
          `server dispatched ${dispatches.attempts} tasks, busiest 1-second window ${atServer.maxInWindow}; ` +
          `sandbox received ${atSandbox[0]!.requests} requests in ${atSandbox[0]!.spanSeconds.toFixed(1)} s (mean ${atSandbox[0]!.meanRate.toFixed(2)}/s), ` +
          `busiest window ${atSandbox.map((w) => `of ${w.seconds} s: ${w.maxInWindow} (limit ${w.seconds * limit})`).join(', ')}`,
      );
      // Every request the sandbox counted was recorded, and none came without a dispatch: no provider
      // call bypasses the server's limiter (retries and polls are new dispatches too; an attempt that
      // failed before reaching the sandbox is a dispatch without a request).
      const sandboxCount = counted.routes
        .filter((r) => r.route.includes(` /${provider}/`))
        .reduce((n, r) => n + r.count, 0);
      expect(times).toHaveLength(sandboxCount);
      expect(sandboxCount).toBeLessThanOrEqual(dispatches.attempts);
      // Both processes made this provider's calls: the limit is shared, not per process.
      expect(byC).toBeGreaterThan(0);
      expect(byD).toBeGreaterThan(0);
      for (const w of atSandbox) expect(w.maxInWindow).toBeLessThanOrEqual(mostInWindow(limit, w.seconds));
      const run = atSandbox[0]!;
      expect(run.requests).toBeLessThanOrEqual(mostInWindow(limit, run.spanSeconds));
    }
    // Both workers booked their slots in the shared table, one budget per provider and account.
    const { rows } = await slotsDatabase.pool.query<{ key: string }>(`SELECT key FROM ${SLOT_TABLE} ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual([`payjs:${sandbox.env.PAYJS_MCHID}`, `qfpay:${sandbox.env.QFPAY_APP_CODE}`]);
    await c.stop();
    await d.stop();
  }, 480_000);

  it('switch builds at rescind deployment set-current: a run the old build started is refunded once by the new one', async () => {
    // A queue of its own: once a deployment is current on a queue, unversioned workers take nothing there.
    const taskQueue = `versioned-${Date.now()}`;
    const env = (buildId: string) => workerEnv({ RESCIND_TASK_QUEUE: taskQueue, RESCIND_WORKER_BUILD_ID: buildId });
    const old = await startWorker({ RESCIND_TASK_QUEUE: taskQueue, RESCIND_WORKER_BUILD_ID: 'v1' });
    await eventually(
      async () => ((await rescind(['deployment', 'set-current', 'v1'], env('cli'))).code === 0 ? true : undefined),
      500,
    );
    // QFPay CPM: the customer is still entering the password, so the run polls (1143) until it is paid.
    const paying = (await sandbox.admin('POST', '/orders', {
      provider: 'qfpay',
      state: 'paying',
      amount: 1450,
      payType: '800208',
    })) as SandboxOrderView;
    const { workflowId } = await startCancellation(
      cluster.client,
      { taskQueue },
      { order: orderRefOf(paying), reason: 'cluster rollout', cadence: { ...FAST, payingPollBudgetMs: 120_000 } },
    );
    const handle = cluster.client.workflow.getHandle(workflowId);
    await eventually(async () => ((await handle.describe()).raw.pendingActivities?.length ? true : undefined), 200);

    const next = await startWorker({ RESCIND_TASK_QUEUE: taskQueue, RESCIND_WORKER_BUILD_ID: 'v2' });
    const switched = await eventually(async () => {
      const r = await rescind(['deployment', 'set-current', 'v2'], env('cli'));
      return r.code === 0 ? r : undefined;
    }, 500);
    expect(switched.stdout).toContain(`${taskQueue}: build v2 is current (before: v1)`);
    await sandbox.admin('POST', `/orders/qfpay/${paying.orderId}/pay`, {});

    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 1450 });
    const events = await historyEvents(cluster.client, workflowId);
    const builds = events
      .filter((e) => e.workflowTaskCompletedEventAttributes)
      .map((e) => e.workflowTaskCompletedEventAttributes!.deploymentVersion?.buildId);
    expect(builds[0]).toBe('v1');
    expect(builds.length).toBeGreaterThan(1);
    expect(new Set(builds.slice(1))).toEqual(new Set(['v2']));
    expect(await activityCompletionsBy([workflowId], next)).toBeGreaterThan(0);
    const ledger = (await sandbox.admin('GET', '/ledger')) as LedgerSummary;
    expect(ledger.orders.find((o) => o.orderId === paying.orderId)).toMatchObject({
      paid: 1450,
      returned: 1450,
      refundCount: 1,
    });
    await next.stop();
    await old.stop();
  }, 300_000);
});
