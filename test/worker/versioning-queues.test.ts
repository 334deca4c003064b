/**
 * A build started without one provider's credentials polls one queue fewer. Temporal lets it become
 * current when that queue has had no tasks lately, and the provider's calls then wait with no worker;
 * `rescind deployment set-current` and `ramp` refuse it (exit 1, naming the queue), `rescind
 * deployment` shows which queues each build polls, and --allow-missing-queues overrides the check.
 * `set-current --unversioned` is refused in the same way while no worker of no deployment polls.
 * Two `rescind worker` processes on a real dev server, the sandbox over HTTP.
 */
import type { QueueBacklog } from '../../client/library/backlog.js';
import type { DeploymentView } from '../../client/library/deployment.js';
import { moneyMoves } from '../helpers/sandbox-orders.js';
import { cancelSandboxOrder } from '../helpers/cancel-sandbox-order.js';
import { FAST } from '../helpers/stack.js';
import { useTestServers } from '../helpers/servers.js';
import { stackWorkerEnv, versionedWorkers } from '../helpers/worker-process-env.js';
import { eventually, rescind, startRescind } from '../client/support.js';

const READY = /\[rescind\] worker on .*\n/;
const servers = useTestServers();

const ALL_QUEUES = ['workflows', 'payjs', 'qfpay', 'wechatpay', 'pingpp'];

test('a build whose workers never polled a provider queue is not made current or ramped unless allowed', async () => {
  const { temporal, sandbox } = servers;
  const { taskQueue, env } = versionedWorkers(temporal, sandbox, 'queues');
  const cli = env('cli');
  // Build-b is started without QFPay's configuration: its workers poll every queue but QFPay's.
  const withoutQfpay = Object.fromEntries(Object.entries(env('build-b')).filter(([k]) => !k.startsWith('QFPAY_')));
  const queuesOf = async (buildId: string, count: number): Promise<string[]> =>
    eventually(async () => {
      const shown = await rescind(['deployment', '--json'], cli);
      if (shown.code !== 0) return undefined;
      const build = (JSON.parse(shown.stdout) as DeploymentView).builds.find((b) => b.buildId === buildId);
      return build?.queues?.length === count ? build.queues : undefined;
    }, 500);

  const a = await startRescind(['worker'], env('build-a'), READY);
  let b: Awaited<ReturnType<typeof startRescind>> | undefined;
  try {
    expect(await queuesOf('build-a', 5)).toEqual(ALL_QUEUES);
    expect((await rescind(['deployment', 'set-current', 'build-a'], cli)).code).toBe(0);

    b = await startRescind(['worker'], withoutQfpay, READY);
    expect(await queuesOf('build-b', 4)).toEqual(['workflows', 'payjs', 'wechatpay', 'pingpp']);
    const table = await rescind(['deployment'], cli);
    expect(table.stdout).toMatch(/^ {2}build-b +inactive .* polls workflows, payjs, wechatpay, pingpp$/m);
    expect(table.stdout).toMatch(/^ {2}build-a +current .* polls workflows, payjs, qfpay, wechatpay, pingpp$/m);

    // Neither a switch nor a canary: QFPay's calls would wait with no worker. Nothing changes.
    const refused = await rescind(['deployment', 'set-current', 'build-b'], cli);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "build build-b's workers never polled the qfpay queue, which Rescind uses now (build build-a is current): once the switch is made, those tasks would wait with no worker",
    );
    expect(refused.stderr).toContain('--allow-missing-queues');
    const canary = await rescind(['deployment', 'ramp', 'build-b', '10'], cli);
    expect(canary.code).toBe(1);
    expect(canary.stderr).toContain("build build-b's workers never polled the qfpay queue");
    expect(JSON.parse((await rescind(['deployment', '--json'], cli)).stdout)).toMatchObject({ current: 'build-a' });
    expect(
      (JSON.parse((await rescind(['deployment', '--json'], cli)).stdout) as DeploymentView).ramping,
    ).toBeUndefined();

    // Temporal alone lets it through (the QFPay queue has had no task), and shows why the check is there:
    // a QFPay cancellation then waits on a queue no worker of the current build polls.
    const forced = await rescind(['deployment', 'set-current', 'build-b', '--allow-missing-queues'], cli);
    expect(forced).toMatchObject({ code: 0 });
    expect(forced.stdout).toContain('build build-b is current (before: build-a)');
    const { order, handle } = await cancelSandboxOrder(
      temporal.client,
      sandbox,
      taskQueue,
      { provider: 'qfpay', state: 'paid', amount: 1320, payType: '800208' },
      { reason: 'missing queue test', cadence: FAST },
    );
    const unserved = await eventually(async () => {
      const queues = JSON.parse((await rescind(['backlog', '--json'], cli)).stdout) as QueueBacklog[];
      const qfpay = queues.find((q) => q.queue === 'qfpay')!;
      return qfpay.waiting === 1 ? qfpay : undefined;
    }, 500);
    expect(unserved).toMatchObject({ state: 'unserved', workers: 0, otherBuildWorkers: 1 });

    // The rollback is allowed (build-a polls every queue build-b serves), and the waiting call goes on.
    const back = await rescind(['deployment', 'set-current', 'build-a'], cli);
    expect(back).toMatchObject({ code: 0 });
    expect(await handle.result()).toMatchObject({
      kind: 'refunded',
      amount: 1320,
    });
    expect(await moneyMoves(sandbox, order)).toMatchObject({ refunds: 1, refunded: 1320, overReturned: 0 });
  } finally {
    await b?.stop();
    await a.stop();
  }
});

test('handing the tasks back to workers of no deployment is refused while none polls, then done once one does', async () => {
  const { temporal, sandbox } = servers;
  const { taskQueue, env } = versionedWorkers(temporal, sandbox, 'unversioned');
  const cli = env('cli');
  const versioned = await startRescind(['worker'], env('build-a'), READY);
  let unversioned: Awaited<ReturnType<typeof startRescind>> | undefined;
  try {
    await eventually(
      async () => ((await rescind(['deployment', 'set-current', 'build-a'], cli)).code === 0 ? true : undefined),
      500,
    );
    // Every queue would be left with no worker: build-a's take nothing once no build is current.
    const refused = await rescind(['deployment', 'set-current', '--unversioned'], cli);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'no worker of no deployment polls the workflow queue, the payjs queue, the qfpay queue, the wechatpay queue, the pingpp queue, which Rescind uses now (build build-a is current)',
    );
    expect(refused.stderr).toContain('Start rescind worker without RESCIND_WORKER_BUILD_ID');

    unversioned = await startRescind(['worker'], stackWorkerEnv(temporal, sandbox, taskQueue), READY);
    const back = await eventually(async () => {
      const r = await rescind(['deployment', 'set-current', '--unversioned'], cli);
      return r.code === 0 ? r : undefined;
    }, 500);
    expect(back.stdout).toContain('no build is current: workers of no deployment take the tasks (before: build-a)');
    const { handle } = await cancelSandboxOrder(
      temporal.client,
      sandbox,
      taskQueue,
      { provider: 'wechatpay', state: 'unpaid', amount: 640, payType: 'NATIVE' },
      { reason: 'unversioned test' },
    );
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid' });
    // Every workflow task was completed by the worker of no deployment.
    const builds = ((await handle.fetchHistory()).events ?? [])
      .filter((e) => e.workflowTaskCompletedEventAttributes)
      .map((e) => e.workflowTaskCompletedEventAttributes!.deploymentVersion?.buildId ?? '(none)');
    expect(new Set(builds)).toEqual(new Set(['(none)']));
  } finally {
    await unversioned?.stop();
    await versioned.stop();
  }
});
