/**
 * `npm run bench`: prints figures, asserts nothing.
 *   1. policy: decide() calls per second (the pure function every workflow step runs);
 *   2. Rescind against the physical limit: short cancellations (unpaid → close or reverse, across
 *      the four providers) and a bare workflow with as many no-op activities (scripts/bench/), in
 *      the same process on the same dev server, interleaved over several rounds; the sandbox runs
 *      in its own process. Prints runs/s, latency and history events of each, and their ratios
 *      with the spread of the per-round ones.
 *      A third contender runs Rescind's same workflow and activities with providers answered in
 *      memory (scripts/bench/in-process-adapters.ts): no signing, HTTP or sandbox, so the figures
 *      tell Rescind's own orchestration apart from the providers' work. A fourth, "featured", is the
 *      bare workflow asking of Temporal what a Rescind run asks (search attributes at the start and
 *      one upsert at the end, priority and fairness key, UI summaries, a rate-limited activity queue,
 *      the order sent to each activity) and doing nothing else: what those options cost by themselves.
 *      A fifth, "calls", is the bare workflow whose three activities make a short path's provider
 *      calls through Rescind's adapters against the sandbox (scripts/bench/calls-workflow.ts) and do
 *      nothing else: the ceiling for any workflow that honours the providers' protocols.
 * Usage: npm run bench -- [N per round] [rounds]   (default 40 and 5)
 */
import type { Observation, OrderRef, ProviderId } from '../domain/index.js';
import { startCancellation } from '../client/library.js';
import { runStartOptions } from '../client/library/start.js';
import { decide, freshMemory } from '../workflows/policy.js';
import { PROVIDER_RULES } from '../workflows/rules.js';
import { startBareWorkers } from './bench/bare-workers.js';
import { processCpuMs } from './bench/rescind-process.js';
import type { bareWorkflow } from './bench/bare-workflow.js';
import type { BareWorkers } from './bench/bare-workers.js';
import { activitiesOf, summarize, type Batch } from './bench/figures.js';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { orderRefOf } from './bench/order-ref.js';
import { inProcessAdapters } from './bench/in-process-adapters.js';
import { startCallsWorkers, type CallsWorkers } from './bench/calls-workers.js';
import type { callsWorkflow } from './bench/calls-workflow.js';
import { createWorkers } from '../worker/worker.js';
import { createAdapters } from '../activities/providers/index.js';
import { cancelCallFor } from '../workflows/policy.js';

function benchPolicy(): void {
  const order: OrderRef = {
    provider: 'qfpay',
    merchantId: 'm',
    orderId: 'o',
    amount: 100,
    payType: '800208',
    createdAt: new Date().toISOString(),
  };
  const observations: Observation[] = [
    { status: 'paid', providerCode: '0000', amount: 100 },
    { status: 'unpaid', providerCode: '1143' },
    { status: 'unknown', providerCode: 'x', reason: 'bad signature' },
    { status: 'closed', providerCode: '1142', reason: 'closed' },
  ];
  const n = 1_000_000;
  const memory = freshMemory();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) decide(PROVIDER_RULES.qfpay, order, observations[i % 4]!, memory, Date.now());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `policy   decide(): ${Math.round(n / seconds).toLocaleString('en')} calls/s (${n.toLocaleString('en')} calls in ${seconds.toFixed(2)} s)`,
  );
}

/**
 * The short paths: an unpaid order is closed (or reversed) and the cancellation confirmed, three
 * provider calls and no wait. QFPay is not among them: its query answers 1143 for an unpaid order,
 * which may still be paid, so the run polls it first (docs/providers/qfpay.md).
 */
const SHORT_PATHS: { provider: ProviderId; payType: string }[] = [
  { provider: 'payjs', payType: 'native' },
  { provider: 'wechatpay', payType: 'NATIVE' },
  { provider: 'pingpp', payType: 'wx_pub_scan' },
];

const BARE_QUEUE = 'bench-bare';
const CALLS_QUEUE = 'bench-calls';
/** Every provider queue's rate limit, and the featured contender's: high enough never to hold a call back. */
const BENCH_MAX_RPS = 1000;
/** Rescind's workers whose providers answer in memory poll this queue (and its provider queues). */
const IN_PROCESS_QUEUE = 'bench-in-process';
let bareIds = 0;
let inProcessIds = 0;
let featuredIds = 0;
let callsIds = 0;

/** An order for a run whose provider is never asked (the in-process and featured contenders). */
function benchOrder(i: number, prefix: string, id: number): OrderRef {
  const orderId = `${prefix}-${process.pid}-${id}`;
  return {
    ...SHORT_PATHS[i % SHORT_PATHS.length]!,
    merchantId: 'bench',
    orderId,
    providerOrderId: `in-process-${orderId}`,
    amount: 1000 + i,
    createdAt: new Date().toISOString(),
  };
}

/** Start `n` short cancellations at once and wait for every outcome. */
async function rescindBatch(stack: BenchStack, n: number): Promise<Batch> {
  const orders = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      stack.admin('POST', '/orders', { ...SHORT_PATHS[i % SHORT_PATHS.length]!, state: 'unpaid', amount: 1000 + i }),
    ),
  );
  return timedRuns(stack, orders, async (order) => {
    const { workflowId } = await startCancellation(stack.client, stack.config, {
      order: orderRefOf(order),
      reason: 'bench',
    });
    return workflowId;
  });
}

/** The same short paths against providers answered in memory: same workflow, activities and client. */
async function inProcessBatch(stack: BenchStack, n: number): Promise<Batch> {
  const orders = Array.from({ length: n }, (_, i) => benchOrder(i, 'bench', ++inProcessIds));
  return timedRuns(stack, orders, async (order) => {
    const { workflowId } = await startCancellation(
      stack.client,
      { taskQueue: IN_PROCESS_QUEUE },
      { order, reason: 'bench' },
    );
    return workflowId;
  });
}

/** The short paths' provider calls, made by the bare workflow's activities through Rescind's adapters. */
async function callsBatch(stack: BenchStack, calls: CallsWorkers, n: number): Promise<Batch> {
  const orders = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      stack.admin('POST', '/orders', { ...SHORT_PATHS[i % SHORT_PATHS.length]!, state: 'unpaid', amount: 1000 + i }),
    ),
  );
  return timedRuns(stack, orders, async (order) => {
    const ref = orderRefOf(order);
    const cancelCall = cancelCallFor(PROVIDER_RULES[ref.provider], ref);
    if (!cancelCall) throw new Error(`${ref.provider} ${ref.payType} has no cancel call: not a short path`);
    const handle = await stack.client.workflow.start<typeof callsWorkflow>('callsWorkflow', {
      taskQueue: calls.taskQueue,
      workflowId: `bench-calls-${process.pid}-${++callsIds}`,
      args: [ref, cancelCall, calls.activityQueue],
    });
    return handle.workflowId;
  });
}

/** The bare workflow started, and run, with the Temporal options of a Rescind run (scripts/bench/bare-workflow.ts). */
async function featuredBatch(stack: BenchStack, bare: BareWorkers, n: number, activities: number): Promise<Batch> {
  const orders = Array.from({ length: n }, (_, i) => benchOrder(i, 'bench-featured', ++featuredIds));
  return timedRuns(stack, orders, async (order) => {
    const handle = await stack.client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
      taskQueue: BARE_QUEUE,
      workflowId: `bench-featured-${order.orderId}`,
      args: [activities, bare.featuredActivityQueue, { order }],
      ...runStartOptions({ order, reason: 'bench' }, 'live'),
    });
    return handle.workflowId;
  });
}

async function bareBatch(stack: BenchStack, n: number, activities: number): Promise<Batch> {
  const { client } = stack;
  return timedRuns(stack, Array.from({ length: n }), async () => {
    const handle = await client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
      taskQueue: BARE_QUEUE,
      workflowId: `bench-bare-${process.pid}-${++bareIds}`,
      args: [activities, `${BARE_QUEUE}-activities`],
    });
    return handle.workflowId;
  });
}

/** Run every item's start at once, wait for each result; the wall time covers the whole batch. */
async function timedRuns<T>(stack: BenchStack, items: T[], start: (item: T) => Promise<string>): Promise<Batch> {
  const { client } = stack;
  const cpu = () => ({
    bench: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000,
    sandbox: processCpuMs(stack.pids.sandbox) ?? NaN,
    server: processCpuMs(stack.pids.server) ?? NaN,
  });
  const cpuBefore = cpu();
  const batchStarted = Date.now();
  const runs = await Promise.all(
    items.map(async (item) => {
      const t0 = Date.now();
      const workflowId = await start(item);
      await client.workflow.getHandle(workflowId).result();
      return { workflowId, ms: Date.now() - t0 };
    }),
  );
  const wallMs = Date.now() - batchStarted;
  const cpuAfter = cpu();
  const cpuMs = {
    bench: cpuAfter.bench - cpuBefore.bench,
    sandbox: cpuAfter.sandbox - cpuBefore.sandbox,
    server: cpuAfter.server - cpuBefore.server,
  };
  // Counted after the batch, outside its time.
  const withEvents = await Promise.all(
    runs.map(async (run) => ({
      ...run,
      events: (await client.workflow.getHandle(run.workflowId).describe()).historyLength,
    })),
  );
  return { wallMs, cpuMs, runs: withEvents };
}

async function benchAgainstBare(n: number, rounds: number): Promise<void> {
  const stack = await startBenchStack({
    RESCIND_TASK_QUEUE: 'bench',
    PAYJS_MAX_RPS: String(BENCH_MAX_RPS),
    QFPAY_MAX_RPS: String(BENCH_MAX_RPS),
    WECHATPAY_MAX_RPS: String(BENCH_MAX_RPS),
    PINGPP_MAX_RPS: String(BENCH_MAX_RPS),
  });
  const bare = await startBareWorkers(stack.connection, stack.config.temporal.namespace, BARE_QUEUE, BENCH_MAX_RPS);
  const inProcess = await createWorkers(
    { ...stack.config, taskQueue: IN_PROCESS_QUEUE },
    { connection: stack.connection, client: stack.client, adapters: inProcessAdapters() },
  );
  const inProcessRunning = inProcess.run();
  const calls = await startCallsWorkers(
    stack.connection,
    stack.config.temporal.namespace,
    CALLS_QUEUE,
    createAdapters(stack.config.providers),
  );
  try {
    // Warm-up (not counted): one short path per provider, to learn how many activities one makes.
    const warm = await rescindBatch(stack, SHORT_PATHS.length);
    const counts = await Promise.all(warm.runs.map((r) => activitiesOf(stack.client, r.workflowId)));
    const activities = Math.max(...counts);
    await inProcessBatch(stack, SHORT_PATHS.length);
    await bareBatch(stack, SHORT_PATHS.length, activities);
    await featuredBatch(stack, bare, SHORT_PATHS.length, activities);
    const warmCalls = await callsBatch(stack, calls, SHORT_PATHS.length);
    const warmCallsEnded = await Promise.all(
      warmCalls.runs.map((r) => stack.client.workflow.getHandle(r.workflowId).result() as Promise<string>),
    );
    // A close PAYJS accepted still queries as unpaid (its query cannot show closure); the others show it.
    if (warmCallsEnded.some((status) => status !== 'closed' && status !== 'unpaid'))
      throw new Error(`the calls contender's short paths ended ${warmCallsEnded.join(', ')}, not closed`);
    console.log(
      `bench    short paths (unpaid → close/reverse: PAYJS, WeChat Pay, Ping++) make ${[...new Set(counts)].join('/')} activities; the bare workflow runs ${activities} no-op activities`,
    );
    const batches = {
      rescind: () => rescindBatch(stack, n),
      'in-process': () => inProcessBatch(stack, n),
      calls: () => callsBatch(stack, calls, n),
      featured: () => featuredBatch(stack, bare, n, activities),
      bare: () => bareBatch(stack, n, activities),
    };
    type Kind = keyof typeof batches;
    const kinds = Object.keys(batches) as Kind[];
    const all = Object.fromEntries(kinds.map((kind) => [kind, [] as Batch[]])) as Record<Kind, Batch[]>;
    for (let round = 1; round <= rounds; round++) {
      // Rotate which goes first, so none always meets a server still busy with another.
      const order = kinds.map((_, i) => kinds[(i + round - 1) % kinds.length]!);
      const line: string[] = [];
      for (const kind of order) {
        const batch = await batches[kind]();
        all[kind].push(batch);
        line.push(`${kind} ${((n * 1000) / batch.wallMs).toFixed(1)} runs/s`);
      }
      console.log(`round ${round}  ${line.join(', ')}`);
    }
    const figures = Object.fromEntries(kinds.map((kind) => [kind, summarize(all[kind])])) as Record<
      Kind,
      ReturnType<typeof summarize>
    >;
    for (const kind of kinds) {
      const s = figures[kind];
      console.log(
        `${kind.padEnd(10)} ${s.runs} runs in ${s.seconds.toFixed(1)} s = ${s.perSecond.toFixed(1)} runs/s; latency p50 ${s.p50} ms, p95 ${s.p95} ms; history events per run ${s.eventsTypical}${s.eventsMin === s.eventsMax ? '' : ` (${s.eventsMin}–${s.eventsMax})`}`,
      );
    }
    const rescind = figures.rescind;
    const bareFigures = figures.bare;
    // On a shared machine a round can be slow for one contender only: the spread of the
    // per-round ratios says how far to trust the overall one.
    const spread = (top: Batch[], bottom: Batch[]): string => {
      const ratios = top.map((batch, i) => bottom[i]!.wallMs / batch.wallMs);
      return `rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
    };
    console.log(
      `ratio      Rescind / bare throughput ${(rescind.perSecond / bareFigures.perSecond).toFixed(2)} (${spread(all.rescind, all.bare)}); history events ${rescind.eventsTypical} vs ${bareFigures.eventsTypical} (+${rescind.eventsTypical - bareFigures.eventsTypical})`,
    );
    console.log(
      `ratio      Rescind with in-process providers / bare ${(figures['in-process'].perSecond / bareFigures.perSecond).toFixed(2)} (${spread(all['in-process'], all.bare)}): Rescind's orchestration alone`,
    );
    console.log(
      `ratio      Rescind / Rescind with in-process providers ${(rescind.perSecond / figures['in-process'].perSecond).toFixed(2)} (${spread(all.rescind, all['in-process'])}): what the providers' work (signing, HTTP, the sandbox) leaves`,
    );
    console.log(
      `ratio      calls / bare ${(figures.calls.perSecond / bareFigures.perSecond).toFixed(2)} (${spread(all.calls, all.bare)}): the bare workflow making a short path's provider calls and nothing else, the ceiling for any workflow that honours the protocols; history events ${figures.calls.eventsTypical}`,
    );
    console.log(
      `ratio      Rescind / calls ${(rescind.perSecond / figures.calls.perSecond).toFixed(2)} (${spread(all.rescind, all.calls)}): what Rescind adds to the provider calls themselves`,
    );
    console.log(
      `ratio      featured bare / bare ${(figures.featured.perSecond / bareFigures.perSecond).toFixed(2)} (${spread(all.featured, all.bare)}): what a run's Temporal options (search attributes, priority and fairness, summaries, rate limit, payloads) cost by themselves; history events ${figures.featured.eventsTypical}`,
    );
    console.log(
      `ratio      Rescind / featured bare ${(rescind.perSecond / figures.featured.perSecond).toFixed(2)} (${spread(all.rescind, all.featured)}): Rescind against a workflow that asks the same of Temporal and does nothing else`,
    );
    for (const kind of kinds) {
      const c = figures[kind].cpuPerRun;
      const total = c.bench + c.sandbox + c.server;
      console.log(
        `cpu        ${kind.padEnd(10)} per run: ${c.bench.toFixed(1)} ms in this process (client and workers), ${c.sandbox.toFixed(1)} ms in the sandbox, ${c.server.toFixed(1)} ms in the dev server; ${total.toFixed(1)} ms in all`,
      );
    }
    const ledger = await stack.admin('GET', '/ledger');
    console.log(
      `bench    process RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB; ledger over-returned orders: ${ledger.overReturned.length}`,
    );
  } finally {
    await calls.stop();
    inProcess.shutdown();
    await inProcessRunning;
    await bare.stop();
    await stack.stop();
  }
}

const n = Number(process.argv[2] ?? 40);
const rounds = Number(process.argv[3] ?? 5);
benchPolicy();
await benchAgainstBare(n, rounds);
