/**
 * `npm run chaos -- [N] [options]` (see USAGE in chaos/options.ts): the resilience run.
 *
 * N mixed sandbox orders across the four providers and starting states are cancelled through the
 * library, at most F open at once, while the run breaks things: provider faults of every kind the
 * sandbox has on about R of the requests; one of K worker processes (default 2) killed with SIGKILL
 * every few seconds and started again; the Temporal dev server killed with SIGKILL once, mid-run,
 * and started again on the same port and database. Chaos lasts until every run has settled, or C
 * seconds; the runs left then settle calmly, until none has settled for T seconds. With --rollouts
 * every worker start is a new build made current once ready (chaos/rollouts.ts). Every run must
 * then be final or in review with a reason, and the money invariants must hold against the sandbox
 * ledger (docs/policy.md, rule 8). Prints the figures; exits 1 when an invariant is broken.
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
import { parseChaosOptions } from './chaos/options.js';
import { seededRandom } from './chaos/random.js';
import { printReport } from './chaos/report.js';
import { countRuns, mapLimit, readResult, sleep, standing, startAll } from './chaos/runs.js';
import { sandboxAdmin } from './chaos/sandbox-admin.js';
import { ChaosTemporalServer } from './chaos/temporal-server.js';
import { WorkerProcess } from './chaos/worker-process.js';
import { Rollouts } from './chaos/rollouts.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TASK_QUEUE = 'rescind-chaos';

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
  const options = parseChaosOptions(process.argv.slice(2));
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
  const client = await connectClient(config.temporal);
  // With --rollouts every start is a new build of the deployment (named after the task queue), made current once ready.
  const rollouts = options.rollouts ? new Rollouts(client, TASK_QUEUE, TASK_QUEUE, log, options.workers) : undefined;
  const workerEnv = () => (rollouts ? rollouts.nextBuild(env) : env);
  const workers = Array.from(
    { length: options.workers },
    (_, i) => new WorkerProcess({ cwd: ROOT, env: workerEnv, logFile: join(dir, `worker-${i + 1}.log`) }),
  );
  /** The newest build among the ready workers becomes current (with --rollouts). */
  const promoteNewest = async () =>
    rollouts?.promoteNewest(workers.filter((w) => w.ready && w.buildId).map((w) => w.buildId!));
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
  log(`Temporal ${server.address}, sandbox ${sandbox.url}; starting ${workers.length} worker process(es)`);
  await allWorkersUp();
  await promoteNewest();

  const plans = planOrders(random.fork('orders'), options.orders);
  const orders = await createOrders(admin, plans, Date.now().toString(36).toUpperCase());
  const feeder = new FaultFeeder(admin, random.fork('faults'), options.faultRate);
  const disruptions = new Disruptions({
    feeder,
    workers,
    server,
    random,
    log,
    ...(rollouts
      ? {
          onRestarted: async (w: WorkerProcess) => {
            if (await rollouts.promote(w.buildId!)) return;
            // A refused deploy is fixed and shipped again, as an operator would: a sound build in its place.
            if (!Rollouts.isFlawed(w.buildId!)) return;
            await w.replace();
            await rollouts.promote(w.buildId!);
          },
        }
      : {}),
  });
  disruptions.start();

  log(`starting ${orders.length} cancellations, at most ${options.inFlight} open at once`);
  // Chaos stops here at the latest, so runs caught by a late kill still have time to settle calmly.
  const chaosDeadline = Date.now() + options.chaosS * 1000;
  // The wait is bounded by progress: it ends when no run has started or settled for stallS.
  let progressAt = Date.now();
  const giveUp = () => Date.now() - progressAt > options.stallS * 1000;
  // What visibility last said, and the starts let through and done: the gate keeps the open runs within inFlight.
  const tally = { admitted: 0, started: 0, final: 0, review: 0, open: 0 };
  let aThirdStarted: () => void = () => undefined;
  disruptions.crashServerOnce(new Promise<void>((resolve) => (aThirdStarted = resolve)));
  const started = startAll(client, TASK_QUEUE, orders, {
    giveUp,
    gate: async () => {
      while (tally.admitted - tally.final - tally.review >= options.inFlight) {
        if (giveUp()) throw new Error(`no run settled for ${options.stallS} s`);
        await sleep(250);
      }
      tally.admitted += 1;
    },
    onStarted: () => {
      tally.started += 1;
      progressAt = Date.now();
      if (tally.started >= Math.ceil(orders.length / 3)) aThirdStarted();
    },
  });
  started.then(
    () => log('all cancellations started'),
    () => undefined,
  );

  let faults: FaultFigures | undefined;
  // Runs a describe has seen settled (final, or in review: only an operator moves a run out of review).
  const settled = new Set<string>();
  let lastProgress = 0;
  for (;;) {
    await sleep(2_000);
    const counts = await countRuns(client);
    if (counts && counts.final + counts.review > tally.final + tally.review) progressAt = Date.now();
    if (counts) Object.assign(tally, counts);
    let allSettled = false;
    if (counts && tally.started === orders.length && counts.open === 0) {
      const unconfirmed = orders.filter((o) => !settled.has(o.workflowId));
      await mapLimit(unconfirmed, 16, async (o) => {
        if ((await standing(client, o.workflowId)) !== 'open') settled.add(o.workflowId);
      });
      allSettled = settled.size === orders.length;
    }
    if (Date.now() - lastProgress >= 10_000 || allSettled) {
      lastProgress = Date.now();
      const chaosSoFar = `worker kills ${total((w) => w.kills)}, server restarts ${server.restarts}`;
      const { started: n, final, review, open } = tally;
      const stale = counts ? '' : ' (last count: the server did not answer)';
      log(`${n} started: ${final} final, ${review} in review, ${open} open${stale}; ${chaosSoFar}`);
    }
    if (!faults && ((allSettled && disruptions.serverRestarted) || Date.now() > chaosDeadline)) {
      const left = 'chaos window over: chaos stops; the runs left settle calmly';
      log(allSettled ? 'every run settled: chaos stops' : left);
      faults = await disruptions.stop();
      // The calm that follows needs the build whose workers run to be the current one.
      await promoteNewest();
      progressAt = Math.max(progressAt, Date.now());
    }
    if (faults && allSettled) break;
    if (giveUp()) {
      log(`no run started or settled for ${options.stallS} s: giving up the wait`);
      break;
    }
  }
  await started.catch((err: unknown) => log(`not every cancellation could be started: ${(err as Error).message}`));
  faults ??= await disruptions.stop();

  const runs = await mapLimit(orders, 8, (o) => readResult(client, o));
  const [ledger, sandboxOrders] = await Promise.all([admin.ledger(), admin.orders()]);
  const invariants = checkInvariants(runs, ledger, sandboxOrders);
  printReport(
    runs,
    ledger,
    {
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
      ...(rollouts
        ? {
            buildsPromoted: rollouts.promoted,
            flawedRefused: rollouts.flawedRefused,
            flawedMadeCurrent: rollouts.flawedMadeCurrent.length,
            flawedUnchecked: rollouts.flawedUnchecked,
          }
        : {}),
    },
    invariants,
  );

  // Not a money invariant, but as binding: a build missing a provider's queue must never take over.
  const flawedTookOver = rollouts?.flawedMadeCurrent ?? [];
  if (flawedTookOver.length > 0)
    console.log(`\n[chaos] builds missing a queue made current: ${flawedTookOver.join(', ')}`);
  const broken = invariants.filter((i) => i.violations.length > 0).length + flawedTookOver.length;
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
