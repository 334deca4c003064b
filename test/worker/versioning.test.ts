/**
 * A rollout through Temporal's Worker Deployments, as an operator runs it: two `rescind worker`
 * processes of different builds side by side on a real dev server, with the sandbox over HTTP. The
 * new build's workers take nothing until `rescind deployment set-current` makes it current; from then
 * a run the old build started goes on with the new build (its next workflow tasks and its refund),
 * and the order is refunded once. Making a build current that no worker runs is refused, exit 1;
 * `rescind backlog` tells a queue whose only workers are of a build that is not current as unserved.
 * A ramp (`rescind deployment ramp`) hands a share of the runs to a canary build, each run to one build.
 */
import type { temporal } from '@temporalio/proto';
import { startCancellation } from '../../client/library.js';
import type { QueueBacklog } from '../../client/library/backlog.js';
import type { DeploymentView } from '../../client/library/deployment.js';
import { createSandboxOrder, moneyMoves, orderRefOf } from '../helpers/sandbox-orders.js';
import { cancelSandboxOrder } from '../helpers/cancel-sandbox-order.js';
import { FAST } from '../helpers/stack.js';
import { useTestServers } from '../helpers/servers.js';
import { versionedWorkers } from '../helpers/worker-process-env.js';
import { eventually, rescind, startRescind } from '../client/support.js';

const READY = /\[rescind\] worker on .*\n/;
const servers = useTestServers();

type Event = temporal.api.history.v1.IHistoryEvent;

/** The build that completed each workflow task, in order. */
const workflowTaskBuilds = (events: Event[]): string[] =>
  events
    .filter((e) => e.workflowTaskCompletedEventAttributes)
    .map((e) => e.workflowTaskCompletedEventAttributes!.deploymentVersion?.buildId ?? '(none)');

/** The worker identity that started the named activity. */
function activityWorker(events: Event[], activity: string): string | undefined {
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity);
  const started = events.find(
    (e) =>
      e.activityTaskStartedEventAttributes &&
      String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(scheduled?.eventId),
  );
  return started?.activityTaskStartedEventAttributes?.identity ?? undefined;
}

test('a new build takes nothing until it is made current, then carries on the runs the old one started', async () => {
  const { temporal, sandbox } = servers;
  const { taskQueue, deployment, env } = versionedWorkers(temporal, sandbox, 'versioning');
  const show = async (): Promise<DeploymentView | undefined> => {
    const shown = await rescind(['deployment', '--json'], env('cli'));
    return shown.code === 0 ? (JSON.parse(shown.stdout) as DeploymentView) : undefined;
  };
  const statusOf = (view: DeploymentView | undefined, buildId: string) =>
    view?.builds.find((b) => b.buildId === buildId)?.status;

  const old = await startRescind(['worker'], env('build-a'), READY);
  let next: Awaited<ReturnType<typeof startRescind>> | undefined;
  try {
    expect(old.match[0]).toContain(`deployment ${deployment}, build build-a`);
    // Its workers joined the deployment on their first poll; no build is current yet.
    const joined = await eventually(async () => {
      const view = await show();
      return statusOf(view, 'build-a') ? view : undefined;
    }, 500);
    expect(joined.name).toBe(deployment);
    expect(joined.current).toBeUndefined();
    expect(statusOf(joined, 'build-a')).toBe('inactive');

    // A QFPay order the customer is still paying: the run queries it, and polls while it answers 1143.
    const { order, handle } = await cancelSandboxOrder(
      temporal.client,
      sandbox,
      taskQueue,
      { provider: 'qfpay', state: 'paying', amount: 1450, payType: '800208' },
      { reason: 'versioning test', cadence: { ...FAST, payingPollBudgetMs: 120_000 } },
    );
    // No build is current yet and no unversioned worker runs: its first workflow task waits, and
    // rescind backlog says why (exit 1) rather than counting build-a's worker as one that takes it.
    const waiting = await eventually(async () => {
      const backlog = await rescind(['backlog', '--json'], env('cli'));
      const queue = (JSON.parse(backlog.stdout) as QueueBacklog[]).find((q) => q.queue === 'workflows')!;
      return queue.waiting === 1 ? { backlog, queue } : undefined;
    }, 500);
    expect(waiting.backlog.code).toBe(1);
    expect(waiting.queue).toMatchObject({ state: 'unserved', workers: 0, otherBuildWorkers: 1 });
    expect(waiting.queue.currentBuild).toBeUndefined();
    const table = await rescind(['backlog'], env('cli'));
    expect(table.stdout).toMatch(
      /^workflows .* unserved: no build is current and no unversioned worker polls; 1 of other builds do \(rescind deployment\)$/m,
    );

    // A build no worker runs cannot be made current: nothing would take the work.
    const nobody = await rescind(['deployment', 'set-current', 'build-x'], env('cli'));
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain(
      `no worker of build build-x has joined deployment ${deployment}: start rescind worker with RESCIND_WORKER_BUILD_ID=build-x first`,
    );
    const first = await rescind(['deployment', 'set-current', 'build-a', '--operator', 'alice'], env('cli'));
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain(`${deployment}: build build-a is current (before: none`);
    // Build-a takes the run: its query is under way.
    await eventually(async () => ((await handle.describe()).raw.pendingActivities?.length ? true : undefined), 200);

    // The new build starts beside the old one, and takes nothing while build-a is current.
    next = await startRescind(['worker'], env('build-b'), READY);
    // Made current only once its workers polled every queue build-a's serve (client/library/deployment-queues.ts).
    const both = await eventually(async () => {
      const view = await show();
      return view?.builds.find((b) => b.buildId === 'build-b')?.queues?.length === 5 ? view : undefined;
    }, 500);
    expect(both).toMatchObject({ current: 'build-a' });
    expect(statusOf(both, 'build-a')).toBe('current');
    expect(statusOf(both, 'build-b')).toBe('inactive');

    const switched = await rescind(['deployment', 'set-current', 'build-b'], env('cli'));
    expect(switched).toMatchObject({ code: 0 });
    expect(switched.stdout).toContain('build build-b is current (before: build-a)');
    // The customer's payment goes through while the run polls: the run must refund it, once.
    await sandbox.admin('POST', `/orders/qfpay/${order.orderId}/pay`, {});

    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 1450 });
    const events = (await handle.fetchHistory()).events ?? [];
    const builds = workflowTaskBuilds(events);
    // The first workflow task (the start and the query) was build-a's; every one after the switch, build-b's.
    expect(builds[0]).toBe('build-a');
    expect(builds.slice(1).length).toBeGreaterThan(0);
    expect(new Set(builds.slice(1))).toEqual(new Set(['build-b']));
    expect(activityWorker(events, 'refundOrder')).toMatch(new RegExp(`^${next.child.pid}@`));
    expect(await moneyMoves(sandbox, order)).toMatchObject({ refunds: 1, refunded: 1450, overReturned: 0 });

    // Each queue counts the current build's worker as the one taking its tasks, and build-a's apart.
    const queues = JSON.parse((await rescind(['backlog', '--json'], env('cli'))).stdout) as QueueBacklog[];
    for (const queue of queues)
      expect(queue).toMatchObject({ workers: 1, currentBuild: 'build-b', otherBuildWorkers: 1 });
    expect((await rescind(['backlog'], env('cli'))).stdout).toMatch(
      /^qfpay .* 1 {2}idle; 1 more of builds not current \(rescind deployment\)$/m,
    );
    const after = await show();
    expect(after?.current).toBe('build-b');
    expect(['draining', 'drained']).toContain(statusOf(after, 'build-a'));
  } finally {
    await next?.stop();
    await old.stop();
  }
});

test('a ramp hands a share of the runs to the new build, each run on one build, until stopped; --unversioned undoes the deployment', async () => {
  const { temporal, sandbox } = servers;
  const { taskQueue, deployment, env } = versionedWorkers(temporal, sandbox, 'ramp');
  const cli = env('cli');
  const current = await startRescind(['worker'], env('stable'), READY);
  const canary = await startRescind(['worker'], env('canary'), READY);
  try {
    await eventually(
      async () => ((await rescind(['deployment', 'set-current', 'stable'], cli)).code === 0 ? true : undefined),
      500,
    );
    // Bad input changes nothing and names what to fix.
    const tooMuch = await rescind(['deployment', 'ramp', 'canary', '150'], cli);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toContain('percent: a share of the runs above 0 and at most 100 (got 150)');
    const noShare = await rescind(['deployment', 'ramp', 'canary'], cli);
    expect(noShare.code).toBe(2);
    expect(noShare.stderr).toContain('give a build and a share');

    const ramped = await eventually(async () => {
      const r = await rescind(['deployment', 'ramp', 'canary', '50'], cli);
      return r.code === 0 ? r : undefined;
    }, 500);
    expect(ramped.stdout).toContain(`${deployment}: build canary takes 50% of the runs; the current build the rest`);
    const view = JSON.parse((await rescind(['deployment', '--json'], cli)).stdout) as DeploymentView;
    expect(view).toMatchObject({ current: 'stable', ramping: { buildId: 'canary', percentage: 50 } });

    // Twenty unpaid WeChat Pay orders: each run is closed and confirmed by one build, about half by each.
    const orders = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createSandboxOrder(sandbox, { provider: 'wechatpay', state: 'unpaid', amount: 800 + i, payType: 'NATIVE' }),
      ),
    );
    const ids = await Promise.all(
      orders.map(async (order) => {
        const { workflowId } = await startCancellation(
          temporal.client,
          { taskQueue },
          { order: orderRefOf(order), reason: 'ramp test' },
        );
        return workflowId;
      }),
    );
    const byBuild = new Map<string, number>();
    for (const id of ids) {
      const handle = temporal.client.workflow.getHandle(id);
      expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid' });
      const builds = new Set(workflowTaskBuilds((await handle.fetchHistory()).events ?? []));
      expect(builds.size).toBe(1);
      const [build] = builds;
      byBuild.set(build!, (byBuild.get(build!) ?? 0) + 1);
    }
    console.log(`ramp at 50%: ${[...byBuild].map(([b, n]) => `${b} ${n}`).join(', ')} of 20 runs`);
    // By workflow id hash: all twenty on one side would happen about twice in a million tries.
    expect(byBuild.get('stable')).toBeGreaterThan(0);
    expect(byBuild.get('canary')).toBeGreaterThan(0);
    expect(byBuild.get('stable')! + byBuild.get('canary')!).toBe(20);

    const stopped = await rescind(['deployment', 'ramp', '--stop'], cli);
    expect(stopped).toMatchObject({ code: 0 });
    expect(stopped.stdout).toContain(`${deployment}: build canary no longer ramps; the current build takes every run`);
    const after = JSON.parse((await rescind(['deployment', '--json'], cli)).stdout) as DeploymentView;
    expect(after.current).toBe('stable');
    expect(after.ramping).toBeUndefined();

    // The way back to workers of no deployment (npm start's worker is one): no build current.
    expect((await rescind(['deployment', 'set-current'], cli)).stderr).toContain(
      'build-id: give a build id, or --unversioned (not both)',
    );
    expect((await rescind(['deployment', 'set-current', 'stable', '--unversioned'], cli)).code).toBe(2);
    // No worker of no deployment runs here, so the queue check refuses it unless told (versioning-queues.test.ts).
    expect((await rescind(['deployment', 'set-current', '--unversioned'], cli)).code).toBe(1);
    const back = await rescind(['deployment', 'set-current', '--unversioned', '--allow-missing-queues'], cli);
    expect(back).toMatchObject({ code: 0 });
    expect(back.stdout).toContain(
      `${deployment}: no build is current: workers of no deployment take the tasks (before: stable)`,
    );
    const none = JSON.parse((await rescind(['deployment', '--json'], cli)).stdout) as DeploymentView;
    expect(none.current).toBeUndefined();
  } finally {
    await canary.stop();
    await current.stop();
  }
});
