/**
 * `npm run bench:backlog -- [backlog] [live]` (default 2000 and 50): live cancellations arriving
 * while a reconciliation backlog waits on one provider's rate-limited task queue. Prints figures,
 * asserts nothing.
 *
 * Each phase starts its own stack (scripts/bench-stack.ts: dev server, sandbox, Rescind's worker)
 * with WeChat Pay at WECHATPAY_MAX_RPS=5, starts `backlog` cancellations of unpaid orders of one
 * merchant the way reconciliation does (priority class `reconciliation`), then `live` cancellations
 * of another merchant's orders as a payment-timeout handler would (class `live`), one a second.
 * Phase "with priority" runs the dev server as Rescind does (task-queue priority and fairness on);
 * phase "without priority" runs it with the server's defaults (`--no-priority` runs only that one),
 * where the same starts are served first come, first served. A phase ends once every live run has
 * its outcome or waits in review (each one's end is printed): the backlog is not drained (it would
 * take backlog × 3 calls / 5 per second). While it runs, the WeChat Pay queue is read every 15 s as
 * `rescind backlog` reads it (client/library/backlog.ts), and the server's rate is set beside the
 * sandbox's request counter in the summary.
 *
 * Usage: npm run bench:backlog -- [backlog] [live] [--no-priority | --priority-only] [--live-every-ms 1000]
 */
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import type { Client } from '@temporalio/client';
import { startCancellation } from '../client/library.js';
import { describeBacklog, type QueueBacklog } from '../client/library/backlog.js';
import { span } from '../client/format.js';
import type { CancellationPriorityClass } from '../domain/index.js';
import type { cancelOrder } from '../workflows/cancel-order.js';
import { getStateQuery, type CancellationRequest } from '../workflows/definitions.js';
import { StageKey } from '../workflows/search-attributes.js';
import { startBenchStack, type BenchStack } from './bench-stack.js';
import { printTable } from './demo.js';

const MAX_RPS = 5;
const PROVIDER = 'wechatpay';
const BACKLOG_MERCHANT = '1900000109';
const LIVE_MERCHANT = '1900000110';
/** How often a live run is asked whether it went to review. */
const REVIEW_POLL_MS = 5_000;
// Server 1.29.1's defaults: priority keys and fairness keys are ignored.
const SERVER_DEFAULTS = { 'matching.useNewMatcher': false, 'matching.enableFairness': false };

interface Options {
  backlog: number;
  live: number;
  liveEveryMs: number;
  phases: ('with priority' | 'without priority')[];
}

interface PhaseFigures {
  phase: string;
  liveMs: number[];
  /** How each live run ended: its outcome kind, or `needs_review` with the reason. */
  liveEnds: string[];
  backlogStartSeconds: number;
  windowSeconds: number;
  providerCalls: number;
  backlogDone: number;
  load: number[];
  /** The WeChat Pay queue as the server described it every SAMPLE_EVERY_MS of the window. */
  samples: QueueBacklog[];
}

const SAMPLE_EVERY_MS = 15_000;

/** Read the provider's queue as `rescind backlog` does, every SAMPLE_EVERY_MS until `stop` resolves; print each reading. */
async function sampleQueue(stack: BenchStack, phase: string, stop: Promise<unknown>): Promise<QueueBacklog[]> {
  const samples: QueueBacklog[] = [];
  const began = Date.now();
  let stopped = false;
  void stop.finally(() => (stopped = true));
  while (!stopped) {
    await Promise.race([sleep(SAMPLE_EVERY_MS), stop]);
    if (stopped) break;
    const q = await describeBacklog(stack.client, stack.config.taskQueue, PROVIDER);
    samples.push(q);
    const left = q.state === 'draining' ? `, about ${span(q.drainsInSeconds!)} left` : '';
    console.log(
      `  [${phase}] ${Math.round((Date.now() - began) / 1000)} s: ${PROVIDER} queue ${q.waiting.toLocaleString('en')} waiting ` +
        `(live ${q.waitingByClass.live}, recon. ${q.waitingByClass.reconciliation.toLocaleString('en')}), oldest ${span(q.oldestSeconds)}, ` +
        `sent ${q.sentPerSecond.toFixed(2)}/s, added ${q.addedPerSecond.toFixed(2)}/s, limit ${q.rateLimitPerSecond ?? '-'}/s, ${q.workers} worker(s), ${q.state}${left}`,
    );
  }
  return samples;
}

function parseOptions(argv: string[]): Options {
  const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--live-every'));
  const flag = (name: string) => argv.includes(name);
  const every = argv.indexOf('--live-every-ms');
  return {
    backlog: Number(positional[0] ?? 2000),
    live: Number(positional[1] ?? 50),
    liveEveryMs: every >= 0 ? Number(argv[every + 1]) : 1000,
    phases: flag('--no-priority')
      ? ['without priority']
      : flag('--priority-only')
        ? ['with priority']
        : ['with priority', 'without priority'],
  };
}

/** Run `task` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!);
      }
    }),
  );
  return out;
}

async function unpaidOrders(stack: BenchStack, merchantId: string, n: number): Promise<CancellationRequest['order'][]> {
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  return pool(Array.from({ length: n }), 20, async () => {
    const o = await stack.admin('POST', '/orders', {
      provider: PROVIDER,
      state: 'unpaid',
      amount: 100,
      payType: 'NATIVE',
      merchantId,
      createdAt,
    });
    return { provider: PROVIDER, merchantId, orderId: o.orderId, amount: o.amount, payType: o.payType, createdAt };
  });
}

const start = (stack: BenchStack, order: CancellationRequest['order'], priority: CancellationPriorityClass) =>
  startCancellation(
    stack.client,
    { taskQueue: stack.config.taskQueue, priority },
    {
      order,
      reason: priority === 'live' ? 'payment timed out' : 'reconciliation: pending too long',
      requestedBy: priority === 'live' ? 'bench timeout handler' : 'reconciliation',
    },
  );

/** Provider requests the sandbox has served so far. */
const providerRequests = async (stack: BenchStack): Promise<number> => (await stack.admin('GET', '/requests')).total;

/** Backlog orders the provider shows closed (their cancellation's write went through). */
async function backlogClosed(stack: BenchStack): Promise<number> {
  const { orders }: { orders: { merchantId: string; state: string }[] } = await stack.admin(
    'GET',
    `/orders?provider=${PROVIDER}`,
  );
  return orders.filter((o) => o.merchantId === BACKLOG_MERCHANT && o.state === 'closed').length;
}

/**
 * One live cancellation, from its start until it has an outcome or waits for an operator (a run in
 * review would hold the phase open until its review timed out). Whether it is in review is read
 * from its stage search attribute, which needs no worker: a query would queue behind the backlog's
 * workflow tasks and could time out.
 */
async function liveRun(
  client: Client,
  stack: BenchStack,
  order: CancellationRequest['order'],
): Promise<{ ms: number; end: string }> {
  const began = Date.now();
  const { workflowId } = await start(stack, order, 'live');
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  // A run left in review would still wait on result() when the phase stops: that wait is cancelled.
  const waiting = new AbortController();
  // While the run waits behind the backlog, result() long-polls its history again and again, and the
  // client adds an abort listener to this signal for each call without removing it: Node's warning
  // past 10 would be noise, and the signal goes with this run.
  setMaxListeners(0, waiting.signal);
  const outcome = client.withAbortSignal(waiting.signal, () => handle.result()).then((o) => o.kind);
  outcome.catch(() => undefined);
  for (;;) {
    const end = await Promise.race([outcome, sleep(REVIEW_POLL_MS)]);
    if (end) return { ms: Date.now() - began, end };
    const { typedSearchAttributes } = await handle.describe();
    if (typedSearchAttributes.get(StageKey) === 'needs_review') {
      const ms = Date.now() - began;
      waiting.abort();
      const state = await handle.query(getStateQuery).catch(() => undefined);
      return { ms, end: `needs_review${state ? `: ${state.details}` : ''}` };
    }
  }
}

const sleep = (ms: number): Promise<undefined> => new Promise((resolve) => setTimeout(() => resolve(undefined), ms));

/** "closed_unpaid 48, needs_review: <reason> 2". */
function countEnds(ends: string[]): string {
  const counts = new Map<string, number>();
  for (const end of ends) counts.set(end, (counts.get(end) ?? 0) + 1);
  return [...counts].map(([end, n]) => `${end} ${n}`).join(', ');
}

async function runPhase(phase: Options['phases'][number], options: Options): Promise<PhaseFigures> {
  const stack = await startBenchStack(
    { WECHATPAY_MAX_RPS: String(MAX_RPS) },
    { dynamicConfig: phase === 'with priority' ? {} : SERVER_DEFAULTS },
  );
  try {
    const backlogOrders = await unpaidOrders(stack, BACKLOG_MERCHANT, options.backlog);
    const liveOrders = await unpaidOrders(stack, LIVE_MERCHANT, options.live);
    const began = Date.now();
    await pool(backlogOrders, 20, (order) => start(stack, order, 'reconciliation'));
    const backlogStartSeconds = (Date.now() - began) / 1000;
    console.log(`  [${phase}] ${options.backlog} backlog runs started in ${backlogStartSeconds.toFixed(1)} s`);

    const windowStart = Date.now();
    const callsBefore = await providerRequests(stack);
    const liveRuns = Promise.all(
      liveOrders.map(async (order, i) => {
        await sleep(i * options.liveEveryMs);
        return liveRun(stack.client, stack, order);
      }),
    );
    const samples = await sampleQueue(stack, phase, liveRuns);
    const live = await liveRuns;
    const windowSeconds = (Date.now() - windowStart) / 1000;
    const providerCalls = (await providerRequests(stack)) - callsBefore;
    const backlogDone = await backlogClosed(stack);
    const liveEnds = live.map((l) => l.end);
    console.log(
      `  [${phase}] every live run ended after ${windowSeconds.toFixed(1)} s (${countEnds(liveEnds)}); phase stopped`,
    );
    const liveMs = live.map((l) => l.ms);
    return {
      phase,
      liveMs,
      liveEnds,
      backlogStartSeconds,
      windowSeconds,
      providerCalls,
      backlogDone,
      load: loadavg(),
      samples,
    };
  } finally {
    await stack.stop();
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `backlog bench: ${options.backlog} reconciliation runs (merchant ${BACKLOG_MERCHANT}) queued on ${PROVIDER} at ` +
      `${MAX_RPS} calls/s, then ${options.live} live runs (merchant ${LIVE_MERCHANT}), one every ${options.liveEveryMs} ms`,
  );
  const figures: PhaseFigures[] = [];
  for (const phase of options.phases) figures.push(await runPhase(phase, options));

  console.log(
    '\nlive cancellations, start → outcome (unpaid: query, close, WeChat Pay 5 s confirm wait, query), or → review',
  );
  printTable(
    figures.map((f) => ({
      phase: f.phase,
      'live runs': f.liveMs.length,
      p50: seconds(percentile(f.liveMs, 50)),
      p95: seconds(percentile(f.liveMs, 95)),
      max: seconds(Math.max(...f.liveMs)),
      ended: countEnds(f.liveEnds),
    })),
  );
  console.log('\nprovider calls while the live runs were open (backlog and live; the limit is the rate cap)');
  printTable(
    figures.map((f) => ({
      phase: f.phase,
      window: seconds(f.windowSeconds * 1000),
      calls: f.providerCalls,
      'calls/s': (f.providerCalls / f.windowSeconds).toFixed(2),
      // The server's own dispatch rate, as `rescind backlog` shows it, against the sandbox's count above.
      'server sent/s (mean of readings)': f.samples.length
        ? (f.samples.reduce((sum, q) => sum + q.sentPerSecond, 0) / f.samples.length).toFixed(2)
        : '-',
      limit: `${MAX_RPS}/s`,
      'backlog closed': f.backlogDone,
      'not yet closed': options.backlog - f.backlogDone,
      'load avg 1/5/15 min': f.load.map((l) => l.toFixed(2)).join(' / '),
    })),
  );
  console.log(
    '\nEach phase stopped once its live runs had finished; the backlog was not drained. Figures only, nothing asserted.',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
