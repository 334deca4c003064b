/**
 * How a DescribeTaskQueue answer is read as a backlog (client/library/backlog.ts): the state and the
 * time left, the classes, which pollers still count as workers, and which rate limits are shown. The
 * answers are shaped as the dev server sends them (test/client/backlog.test.ts meets a real one).
 */
import { backlogOf } from '../../client/library/backlog.js';

const NOW = Date.parse('2026-12-03T08:00:00Z');
const at = (msAgo: number) => ({ seconds: Math.floor((NOW - msAgo) / 1000), nanos: 0 });
const poller = (identity: string, msAgo = 5_000) => ({ identity, lastAccessTime: at(msAgo), ratePerSecond: 5 });
const WORKER_LIMIT = { requestsPerSecond: 5, rateLimitSource: 2 /* RATE_LIMIT_SOURCE_WORKER */ };

/** int64 fields as plain numbers, which the reading accepts as it accepts the Longs a server sends. */
type Answer = Parameters<typeof backlogOf>[2];

function answer(stats: { waiting: number; ageSeconds?: number; added?: number; sent?: number }, extra = {}): Answer {
  return {
    stats: {
      approximateBacklogCount: stats.waiting,
      approximateBacklogAge: { seconds: stats.ageSeconds ?? 0, nanos: 400_000_000 },
      tasksAddRate: stats.added ?? 0,
      tasksDispatchRate: stats.sent ?? 0,
    },
    ...extra,
  } as unknown as Answer;
}

test('a backlog sent faster than it grows is draining, with the time left at these rates', () => {
  const b = backlogOf(
    'payjs',
    'rescind-payjs',
    answer(
      { waiting: 1950, ageSeconds: 400, added: 0.1, sent: 4.98 },
      {
        pollers: [poller('1@a'), poller('2@b'), poller('2@b')],
        effectiveRateLimit: WORKER_LIMIT,
        statsByPriorityKey: {
          2: { approximateBacklogCount: 30 },
          4: { approximateBacklogCount: 1900 },
        },
      },
    ),
    NOW,
  );
  expect(b).toEqual({
    queue: 'payjs',
    taskQueue: 'rescind-payjs',
    waiting: 1950,
    waitingByClass: { live: 30, reconciliation: 1900, other: 20 },
    oldestSeconds: 400,
    addedPerSecond: 0.1,
    sentPerSecond: 4.98,
    rateLimitPerSecond: 5,
    workers: 2,
    state: 'draining',
    // 1950 / (4.98 − 0.1) = 399.6
    drainsInSeconds: 400,
  });
});

test('level rates are holding, more added than sent is growing; nothing sent with workers polling is stalled', () => {
  const pollers = { pollers: [poller('1@a')] };
  // As the bench saw a 2,000-cancellation backlog at 5/s: each call sent added the run's next.
  expect(backlogOf('qfpay', 'q', answer({ waiting: 1996, added: 5.01, sent: 5.05 }, pollers), NOW).state).toBe(
    'holding',
  );
  expect(backlogOf('qfpay', 'q', answer({ waiting: 50, added: 5.3, sent: 5 }, pollers), NOW).state).toBe('growing');
  expect(backlogOf('qfpay', 'q', answer({ waiting: 50, added: 4.7, sent: 5 }, pollers), NOW).state).toBe('draining');
  expect(backlogOf('qfpay', 'q', answer({ waiting: 50, added: 1, sent: 0 }, pollers), NOW).state).toBe('stalled');
  expect(backlogOf('qfpay', 'q', answer({ waiting: 0, added: 1, sent: 1 }, pollers), NOW)).toMatchObject({
    state: 'idle',
    oldestSeconds: 0,
  });
});

test('a poller not seen for over two minutes (a killed worker the server still lists) is not a worker', () => {
  const b = backlogOf(
    'wechatpay',
    'q',
    answer({ waiting: 3, sent: 1 }, { pollers: [poller('gone@a', 150_000), poller('kept@b', 110_000)] }),
    NOW,
  );
  expect(b.workers).toBe(1);
  const none = backlogOf(
    'wechatpay',
    'q',
    answer({ waiting: 3, sent: 1 }, { pollers: [poller('gone', 121_000)] }),
    NOW,
  );
  expect(none).toMatchObject({ workers: 0, state: 'unserved' });
  expect(none.drainsInSeconds).toBeUndefined();
});

test("only a limit someone set is shown, not the server's default; classes lagging the total never go below 0", () => {
  const system = backlogOf(
    'pingpp',
    'q',
    answer(
      { waiting: 2, sent: 1 },
      {
        pollers: [poller('1@a')],
        effectiveRateLimit: { requestsPerSecond: 100_000, rateLimitSource: 3 /* RATE_LIMIT_SOURCE_SYSTEM */ },
        statsByPriorityKey: { 2: { approximateBacklogCount: 5 } },
      },
    ),
    NOW,
  );
  expect(system.rateLimitPerSecond).toBeUndefined();
  expect(system.waitingByClass).toEqual({ live: 5, reconciliation: 0, other: 0 });
  const bare = backlogOf('workflows', 'rescind', {}, NOW);
  expect(bare).toMatchObject({ waiting: 0, workers: 0, state: 'idle', addedPerSecond: 0, sentPerSecond: 0 });
});

test("a limit of 0 set through the API is a pause, with the server's record of who, when and why", () => {
  const config = {
    queueRateLimit: {
      rateLimit: {},
      metadata: { reason: 'PAYJS incident 42', updateIdentity: 'alice', updateTime: at(90_000) },
    },
  };
  const paused = backlogOf(
    'payjs',
    'q',
    answer(
      { waiting: 3, sent: 0 },
      { pollers: [poller('1@a')], effectiveRateLimit: { rateLimitSource: 1 /* RATE_LIMIT_SOURCE_API */ }, config },
    ),
    NOW,
  );
  expect(paused).toMatchObject({
    state: 'paused',
    rateLimitPerSecond: 0,
    pause: { reason: 'PAYJS incident 42', by: 'alice', since: '2026-12-03T07:58:30.000Z' },
  });
  // An API limit above 0 (`temporal task-queue config set --queue-rps-limit 1`) replaces the workers' but sends.
  const slowed = backlogOf(
    'payjs',
    'q',
    answer(
      { waiting: 3, sent: 1, added: 1 },
      { pollers: [poller('1@a')], effectiveRateLimit: { requestsPerSecond: 1, rateLimitSource: 1 } },
    ),
    NOW,
  );
  expect(slowed).toMatchObject({ state: 'holding', rateLimitPerSecond: 1 });
  expect(slowed.pause).toBeUndefined();
});

test('with versioned workers only those of the current or ramping build count; with none current, only unversioned ones', () => {
  const VERSIONED = 2; // WORKER_VERSIONING_MODE_VERSIONED
  const of = (identity: string, buildId: string) => ({
    ...poller(identity),
    deploymentOptions: { deploymentName: 'rescind', buildId, workerVersioningMode: VERSIONED },
  });
  const version = (buildId: string) => ({ deploymentName: 'rescind', buildId });
  const read = (pollers: unknown[], versioningInfo?: unknown) =>
    backlogOf('payjs', 'rescind-payjs', answer({ waiting: 4, added: 1, sent: 1 }, { pollers, versioningInfo }), NOW);

  // Build b is current: a's worker (left running after the switch) takes nothing, nor does an unversioned one.
  const switched = read([of('1@a', 'a'), of('2@b', 'b'), poller('3@old')], { currentDeploymentVersion: version('b') });
  expect(switched).toMatchObject({ workers: 1, currentBuild: 'b', otherBuildWorkers: 2, state: 'holding' });
  // A ramping build's workers take their share.
  expect(
    read([of('1@a', 'a'), of('2@b', 'b')], {
      currentDeploymentVersion: version('a'),
      rampingDeploymentVersion: version('b'),
    }),
  ).toMatchObject({ workers: 2, currentBuild: 'a', state: 'holding' });
  // The current build's workers all stopped, a new build's not yet made current: nothing takes the tasks.
  expect(read([of('2@c', 'c')], { currentDeploymentVersion: version('b') })).toMatchObject({
    workers: 0,
    otherBuildWorkers: 1,
    state: 'unserved',
  });
  // No build current: unversioned workers take the tasks, versioned ones wait for set-current.
  const first = read([of('1@a', 'a'), poller('3@old')]);
  expect(first).toMatchObject({ workers: 1, otherBuildWorkers: 1, state: 'holding' });
  expect(first.currentBuild).toBeUndefined();
  // A build of another deployment with the same id is not the current one.
  expect(
    read(
      [
        {
          ...of('4@x', 'b'),
          deploymentOptions: { deploymentName: 'other', buildId: 'b', workerVersioningMode: VERSIONED },
        },
      ],
      {
        currentDeploymentVersion: version('b'),
      },
    ),
  ).toMatchObject({ workers: 0, state: 'unserved' });
});
