/**
 * `npm run bench:scale -- [N] [--dev-only | --cluster-only] [--settle-minutes M]`: N cancellations open at once on one
 * worker process, on the dev server and on the PostgreSQL cluster, side by side (default N 10000).
 * Each order stays paying at a Ping++ channel no call can cancel, so its run goes to review and
 * waits there on a timer. Prints how long the N starts took, the worker's memory (peak and settled;
 * the worker is a child process, `rescind worker`, tuned by the RESCIND_WORKER_* variables and
 * started with the heap flag production uses, NODE_OPTIONS=--max-old-space-size=192), and
 * the server's state (open runs by visibility, its process memory, its storage). Asserts nothing;
 * the servers, their data and the worker are gone afterwards.
 */
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { startCancellation } from '../client/library.js';
import { ensureKeys } from '../sandbox/credentials.js';
import { startSandbox } from '../sandbox/server.js';
import { sandboxWorkerEnv } from '../sandbox/worker-env.js';
import { connectClient } from '../platform/temporal.js';
import { loadConfig } from '../worker/config.js';
import { DEFAULT_MAX_CACHED_WORKFLOWS, WORKER_HEAP_MIB } from '../worker/tuning.js';
import { freeLoopbackAddress } from '../platform/metrics/endpoint.js';
import { pool } from './bench/pool.js';
import { processMemory, startRescindProcess } from './bench/rescind-process.js';
import { startTarget, type TargetName } from './bench/scale-servers.js';
import { orderRefOf, type SandboxOrderJson } from './bench/order-ref.js';

const TASK_QUEUE = 'bench-scale';
/** Ping++ offers no call that cancels this channel: an unpaid or paying order goes to review. */
const ORDER = { provider: 'pingpp', payType: 'applepay_upacp', state: 'paying' } as const;
const IN_REVIEW = `WorkflowType = 'cancelOrder' AND ExecutionStatus = 'Running' AND RescindStage = 'needs_review'`;

interface Figures {
  /** Before the first start: the process with its workflow bundle and nothing to run. */
  workerIdleMiB: number;
  startSeconds: number;
  settleSeconds: number;
  workerPeakMiB: number;
  workerSettledMiB: number;
  /** The worker's V8 heap when settled, from its own metrics (prom-client's nodejs_heap_size_*). */
  heapUsedMiB: number;
  heapTotalMiB: number;
  open: number;
  inReview: number;
  serverMiB: number;
  storage: string;
}

const mib = (n: number): string => `${n.toFixed(0)} MiB`;
const say = (line: string): void => console.log(`scale    ${line}`);

async function measure(name: TargetName, n: number, settleMinutes: number): Promise<Figures> {
  const target = await startTarget(name);
  const keyDir = ensureKeys(resolve('.data', 'keys'));
  const sandbox = await startSandbox({ keyDir, port: 0 });
  const env = {
    ...process.env,
    ...sandboxWorkerEnv(sandbox.url, keyDir),
    TEMPORAL_ADDRESS: target.address,
    RESCIND_TASK_QUEUE: TASK_QUEUE,
    PINGPP_MAX_RPS: '1000',
  };
  const config = loadConfig(env);
  const client = await connectClient(config.temporal);
  const metricsAddress = await freeLoopbackAddress();
  const worker = await startRescindProcess(
    ['worker'],
    { ...env, NODE_OPTIONS: workerNodeOptions(), RESCIND_METRICS_ADDRESS: metricsAddress },
    /\[rescind\] worker on .*\n/,
  );
  say(worker.ready[0].trim());
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, processMemory(worker.child.pid!)?.peakMiB ?? 0);
  }, 500);
  try {
    say(`${name} at ${target.address}: creating ${n} sandbox orders`);
    const orders = await pool(Array.from({ length: n }), 50, async (_, i) => {
      const res = await fetch(`${sandbox.url}/_admin/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...ORDER, amount: 1000 + (i % 1000) }),
      });
      return res.json() as Promise<SandboxOrderJson>;
    });
    const workerIdleMiB = processMemory(worker.child.pid!)?.rssMiB ?? NaN;
    const began = Date.now();
    await pool(orders, 100, (order) =>
      startCancellation(
        client,
        { taskQueue: TASK_QUEUE },
        {
          order: orderRefOf(order),
          reason: 'bench: scale',
        },
      ),
    );
    const startSeconds = (Date.now() - began) / 1000;
    say(`${name}: ${n} starts in ${startSeconds.toFixed(1)} s; waiting until every run is in review`);
    // Capped (default 30 minutes): on a loaded machine the figures say how far it got.
    const inReview = await untilCount(client, IN_REVIEW, n, settleMinutes * 60_000);
    const settleSeconds = (Date.now() - began) / 1000;
    // Settled: the worker has nothing to do but hold its cache; give its heap a moment.
    await new Promise((r) => setTimeout(r, 10_000));
    const figures: Figures = {
      workerIdleMiB,
      startSeconds,
      settleSeconds,
      workerPeakMiB: Math.max(peak, processMemory(worker.child.pid!)?.peakMiB ?? 0),
      workerSettledMiB: processMemory(worker.child.pid!)?.rssMiB ?? NaN,
      ...(await workerHeap(metricsAddress)),
      open: (await client.workflow.count(`ExecutionStatus = 'Running'`)).count,
      inReview,
      serverMiB: processMemory(target.pid)?.rssMiB ?? NaN,
      storage: await target.storage(),
    };
    say(`${name}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    clearInterval(sampler);
    await worker.stop();
    await client.connection.close();
    await sandbox.close();
    await target.stop();
  }
}

/** The heap flag production starts a worker with (worker/tuning.ts), unless NODE_OPTIONS already sets one. */
function workerNodeOptions(): string {
  const given = process.env.NODE_OPTIONS ?? '';
  return given.includes('--max-old-space-size') ? given : `${given} --max-old-space-size=${WORKER_HEAP_MIB}`.trim();
}

/** Heap used and reserved by the worker's V8, read from its metrics endpoint. */
async function workerHeap(address: string): Promise<{ heapUsedMiB: number; heapTotalMiB: number }> {
  const text = await (await fetch(`http://${address}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { heapUsedMiB: gauge('nodejs_heap_size_used_bytes'), heapTotalMiB: gauge('nodejs_heap_size_total_bytes') };
}

/** Poll a visibility count until it reaches `want` (or the time is up); returns the last count. */
async function untilCount(client: Client, query: string, want: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count >= want || Date.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

function printSideBySide(n: number, results: [TargetName, Figures][]): void {
  const rows: [string, (f: Figures) => string][] = [
    [`${n} starts took`, (f) => `${f.startSeconds.toFixed(1)} s`],
    ['starts per second', (f) => (n / f.startSeconds).toFixed(0)],
    [
      'all in review after',
      (f) => (f.inReview >= n ? `${f.settleSeconds.toFixed(1)} s` : `not yet at ${f.settleSeconds.toFixed(0)} s`),
    ],
    ['worker RSS, idle', (f) => mib(f.workerIdleMiB)],
    ['worker RSS, peak', (f) => mib(f.workerPeakMiB)],
    ['worker RSS, settled', (f) => mib(f.workerSettledMiB)],
    ['worker V8 heap, settled', (f) => `${mib(f.heapUsedMiB)} used of ${mib(f.heapTotalMiB)}`],
    ['open runs (visibility)', (f) => String(f.open)],
    ['  of which in review', (f) => String(f.inReview)],
    ['server process RSS', (f) => mib(f.serverMiB)],
    ['server storage', (f) => f.storage],
  ];
  const cache = process.env.RESCIND_WORKER_MAX_CACHED_WORKFLOWS ?? `${DEFAULT_MAX_CACHED_WORKFLOWS} (default)`;
  console.log(
    `\n${n} cancellations open at once, one worker (RESCIND_WORKER_MAX_CACHED_WORKFLOWS=${cache}, NODE_OPTIONS=${workerNodeOptions()})`,
  );
  console.log(['', ...results.map(([name]) => name)].map((c) => c.padEnd(24)).join(''));
  for (const [label, value] of rows) {
    console.log([label, ...results.map(([, f]) => value(f))].map((c) => c.padEnd(24)).join(''));
  }
}

const args = process.argv.slice(2);
const n = /^\d+$/.test(args[0] ?? '') ? Number(args[0]) : 10_000;
const targets: TargetName[] = args.includes('--dev-only')
  ? ['dev server']
  : args.includes('--cluster-only')
    ? ['cluster']
    : ['dev server', 'cluster'];
const settleAt = args.indexOf('--settle-minutes');
const settleMinutes = settleAt >= 0 ? Number(args[settleAt + 1]) : 30;
const results: [TargetName, Figures][] = [];
for (const target of targets) results.push([target, await measure(target, n, settleMinutes)]);
printSideBySide(n, results);
