/**
 * `npm run chaos -- [N] [--seed S] [--fault-rate R] [--workers K] [--chaos-seconds C] [--settle-seconds T] [--keep]`
 *
 * The resilience run: N mixed sandbox orders across the four providers and starting states are
 * cancelled through the library while the run breaks things: provider faults of every kind the
 * sandbox has on about R of the requests; one of K worker processes (default 2) killed with SIGKILL
 * every few seconds and started again; the Temporal dev server killed with SIGKILL once and started
 * again on the same port and database. Chaos lasts until every run has settled, or C seconds; the
 * runs then get T more seconds to settle calmly. Every run must then be final or in review with a
 * reason, and the money invariants must hold against the sandbox ledger (docs/policy.md, rule 8).
 * Prints the figures; exits 1 when an invariant is broken.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectClient } from '../platform/temporal.js';
import { ensureKeys } from '../sandbox/credentials.js';
import { startSandbox } from '../sandbox/server.js';
import { sandboxWorkerEnv } from '../sandbox/worker-env.js';
import { KNOWN_ENV_VARS, loadConfig } from '../worker/config.js';
import { Disruptions } from './chaos/disruptions.js';
import { FaultFeeder, type FaultFigures } from './chaos/fault-feeder.js';
import { checkInvariants } from './chaos/invariants.js';
import { createOrders, planOrders } from './chaos/orders.js';
import { newSeed, seededRandom } from './chaos/random.js';
import { printReport } from './chaos/report.js';
import { countRuns, mapLimit, readResult, sleep, standing, startAll } from './chaos/runs.js';
import { sandboxAdmin } from './chaos/sandbox-admin.js';
import { ChaosTemporalServer } from './chaos/temporal-server.js';
import { WorkerProcess } from './chaos/worker-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TASK_QUEUE = 'rescind-chaos';

interface Options {
  orders: number;
  seed: number;
  faultRate: number;
  chaosS: number;
  settleS: number;
  workers: number;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (flag: string, fallback: number): number => {
    const raw = value(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number, got ${raw}`);
    return n;
  };
  const flagsWithValue = new Set(['--seed', '--fault-rate', '--workers', '--chaos-seconds', '--settle-seconds']);
  const positional = argv.filter((a, i) => !a.startsWith('--') && !flagsWithValue.has(argv[i - 1] ?? ''));
  const orders = positional[0] === undefined ? 100 : Number(positional[0]);
  if (!Number.isInteger(orders) || orders < 1) {
    throw new Error(`N must be a positive whole number, got ${positional[0]}`);
  }
  const faultRate = number('--fault-rate', 0.2);
  if (faultRate > 1) throw new Error(`--fault-rate is a share between 0 and 1, got ${faultRate}`);
  return {
    orders,
    seed: Math.floor(number('--seed', newSeed())),
    faultRate,
    chaosS: number('--chaos-seconds', 60 + Math.ceil(orders * 0.3)),
    // Room for runs whose activity was lost with a killed worker: it is retried after its 30 s start-to-close timeout.
    settleS: number('--settle-seconds', 90 + Math.ceil(orders * 0.2)),
    workers: Math.max(1, Math.floor(number('--workers', 2))),
    keep: argv.includes('--keep'),
  };
}

/** The worker's environment: ours only, so a developer's own TEMPORAL_* or provider variables cannot leak in. */
function workerEnvironment(sandboxUrl: string, keyDir: string, temporalAddress: string): Record<string, string> {
  const ours = (name: string) =>
    name.startsWith('TEMPORAL_') || name.startsWith('RESCIND_') || KNOWN_ENV_VARS.includes(name);
  const inherited = Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !ours(e[0]));
  return {
    ...Object.fromEntries(inherited),
    ...sandboxWorkerEnv(sandboxUrl, keyDir),
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    RESCIND_TASK_QUEUE: TASK_QUEUE,
    // The sandbox has no IP blacklist to fear: the rate limits would only make the run long (PAYJS allows 2/s).
    PAYJS_MAX_RPS: '50',
    QFPAY_MAX_RPS: '50',
    WECHATPAY_MAX_RPS: '50',
    PINGPP_MAX_RPS: '50',
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const began = Date.now();
  const random = seededRandom(options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'rescind-chaos-'));
  const log = (line: string) => console.log(`[chaos] ${Math.round((Date.now() - began) / 1000)} s: ${line}`);
  log(`${options.orders} orders, seed ${options.seed} (repeat with --seed ${options.seed}), files in ${dir}`);
  const { faultRate, workers: processes, chaosS } = options;
  log(`faults on ~${faultRate * 100}% of requests, ${processes} worker process(es), chaos for ${chaosS} s at most`);

  const server = await ChaosTemporalServer.start({
    dbFile: join(dir, 'temporal.sqlite'),
    logFile: join(dir, 'temporal.log'),
  });
  const keyDir = ensureKeys(join(dir, 'keys'));
  const sandbox = await startSandbox({ keyDir, port: 0 });
  const admin = sandboxAdmin(sandbox.url);
  const env = workerEnvironment(sandbox.url, keyDir, server.address);
  const config = loadConfig(env);
  const workers = Array.from(
    { length: options.workers },
    (_, i) => new WorkerProcess({ cwd: ROOT, env, logFile: join(dir, `worker-${i + 1}.log`) }),
  );
  const allWorkersUp = () => Promise.all(workers.map((w) => w.ensureRunning()));
  const total = (pick: (w: WorkerProcess) => number) => workers.reduce((sum, w) => sum + pick(w), 0);
  const killChildren = () => {
    for (const w of workers) w.killNow();
    server.killNow();
  };
  process.once('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  }
  const client = await connectClient(config.temporal);
  log(`Temporal ${server.address}, sandbox ${sandbox.url}; starting ${workers.length} worker process(es)`);
  await allWorkersUp();

  const plans = planOrders(random.fork('orders'), options.orders);
  const orders = await createOrders(admin, plans, Date.now().toString(36).toUpperCase());
  const feeder = new FaultFeeder(admin, random.fork('faults'), options.faultRate);
  const disruptions = new Disruptions({ feeder, workers, server, random, log });
  disruptions.start();

  log(`starting ${orders.length} cancellations`);
  // Chaos stops here at the latest, so runs caught by a late kill still have time to settle calmly.
  const chaosDeadline = Date.now() + options.chaosS * 1000;
  let startedCount = 0;
  const started = startAll(client, TASK_QUEUE, orders, chaosDeadline, () => (startedCount += 1));
  disruptions.crashServerOnce(started.then(() => log('all cancellations started')));

  let faults: FaultFigures | undefined;
  let deadline = chaosDeadline + options.settleS * 1000;
  // Runs a describe has seen settled (final, or in review: only an operator moves a run out of review).
  const settled = new Set<string>();
  let lastProgress = 0;
  for (;;) {
    await sleep(2_000);
    const counts = await countRuns(client);
    let allSettled = false;
    if (counts && startedCount === orders.length && counts.open === 0) {
      const unconfirmed = orders.filter((o) => !settled.has(o.workflowId));
      await mapLimit(unconfirmed, 16, async (o) => {
        if ((await standing(client, o.workflowId)) !== 'open') settled.add(o.workflowId);
      });
      allSettled = settled.size === orders.length;
    }
    if (counts && (Date.now() - lastProgress >= 10_000 || allSettled)) {
      lastProgress = Date.now();
      const chaosSoFar = `worker kills ${total((w) => w.kills)}, server restarts ${server.restarts}`;
      const { final, review, open } = counts;
      log(`${startedCount} started: ${final} final, ${review} in review, ${open} open; ${chaosSoFar}`);
    }
    if (!faults && ((allSettled && disruptions.serverRestarted) || Date.now() > chaosDeadline)) {
      const left = `chaos window over: chaos stops; the runs left get ${options.settleS} s to settle`;
      log(allSettled ? 'every run settled: chaos stops' : left);
      faults = await disruptions.stop();
      deadline = Date.now() + options.settleS * 1000;
    }
    if ((faults && allSettled) || Date.now() > deadline) break;
  }
  faults ??= await disruptions.stop();

  const runs = await mapLimit(orders, 8, (o) => readResult(client, o));
  const [ledger, sandboxOrders] = await Promise.all([admin.ledger(), admin.orders()]);
  const invariants = checkInvariants(runs, ledger, sandboxOrders);
  printReport(runs, ledger, {
    seed: options.seed,
    orders: orders.length,
    seconds: Math.round((Date.now() - began) / 1000),
    faults,
    workers: workers.length,
    workerKills: total((w) => w.kills),
    workerStarts: total((w) => w.starts),
    workerFailedStarts: total((w) => w.failedStarts),
    workerCrashes: total((w) => w.crashes),
    serverRestarts: server.restarts,
  }, invariants);

  const broken = invariants.filter((i) => i.violations.length > 0).length;
  await Promise.all(workers.map((w) => w.close()));
  await client.connection.close();
  await sandbox.close();
  await server.stop();
  if (broken === 0 && !options.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`\n[chaos] logs and the Temporal database kept in ${dir}`);
  const verdict = broken === 0 ? `all ${invariants.length} invariants hold` : `${broken} invariant(s) broken`;
  console.log(`\n[chaos] ${verdict} (seed ${options.seed})`);
  return broken === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[chaos] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
