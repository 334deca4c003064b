/**
 * Scheduled reconciliation end to end: stuck orders in a real PostgreSQL table (a database the test
 * creates and drops) are cancelled on the real dev server against the sandbox, outcomes are written
 * back to their rows, and the CLI runs it now, manages the Temporal Schedule and creates the table.
 */
import { Worker } from '@temporalio/worker';
import { getCancellationById, resolveReview } from '../../client/library.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { RECONCILE_SCHEDULE_ID, runReconciliationNow } from '../../client/reconcile.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { cliEnv, eventually, rescind } from './support.js';

let db: TestDatabase;
let stack: Stack;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  db = await createTestDatabase();
  stack = await startStack({ orderSource: db.url });
  env = cliEnv(stack, { RESCIND_ORDER_SOURCE: db.url });
  const init = await rescind(['init-db'], env);
  expect(init).toMatchObject({ code: 0, stdout: 'rescind_orders is ready\n' });
});
afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const hoursAgo = (n: number) => new Date(Date.now() - n * 3_600_000).toISOString();

/** A sandbox order, and the merchant's row for it in rescind_orders. */
async function stuckOrder(
  input: { provider: SandboxOrderView['provider']; state: string; amount: number; payType: string; createdAt?: string },
  status = 'pending',
): Promise<SandboxOrderView> {
  const order = await stack.order({ ...input, createdAt: input.createdAt ?? hoursAgo(1) });
  await db.pool.query(
    `INSERT INTO rescind_orders (provider, merchant_id, order_id, provider_order_id, amount, currency, pay_type, created_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      order.provider,
      order.merchantId,
      order.orderId,
      order.providerOrderId,
      order.amount,
      order.currency,
      order.payType,
      order.createdAt,
      status,
    ],
  );
  return order;
}

async function row(
  order: SandboxOrderView,
): Promise<{ status: string; outcome: { kind?: string; reviewReason?: string } | null }> {
  const { rows } = await db.pool.query(
    'SELECT status, outcome FROM rescind_orders WHERE provider = $1 AND merchant_id = $2 AND order_id = $3',
    [order.provider, order.merchantId, order.orderId],
  );
  return rows[0];
}

const idOf = (o: SandboxOrderView) => cancellationWorkflowId(o.provider, o.merchantId, o.orderId);

describe('reconciliation from a PostgreSQL table', () => {
  let unpaidQf: SandboxOrderView;
  let paidQf: SandboxOrderView;
  let unpaidWx: SandboxOrderView;
  let paidPayjs: SandboxOrderView;
  let unknownPingpp: SandboxOrderView;
  let young: SandboxOrderView;
  let settled: SandboxOrderView;

  beforeAll(async () => {
    unpaidQf = await stuckOrder({ provider: 'qfpay', state: 'unpaid', amount: 1100, payType: '800201' });
    paidQf = await stuckOrder({ provider: 'qfpay', state: 'paid', amount: 1300, payType: '800201' });
    unpaidWx = await stuckOrder({ provider: 'wechatpay', state: 'unpaid', amount: 2100, payType: 'NATIVE' });
    paidPayjs = await stuckOrder({ provider: 'payjs', state: 'paid', amount: 900, payType: 'native' });
    // Every Ping++ query fails: its state cannot be known, and an upacp order is not reversed blind.
    unknownPingpp = await stuckOrder({ provider: 'pingpp', state: 'paid', amount: 700, payType: 'upacp' });
    young = await stuckOrder({
      provider: 'qfpay',
      state: 'unpaid',
      amount: 500,
      payType: '800201',
      createdAt: new Date().toISOString(),
    });
    settled = await stuckOrder({ provider: 'qfpay', state: 'closed', amount: 600, payType: '800201' }, 'closed_unpaid');
    await stack.fault({ provider: 'pingpp', call: 'query', kind: 'http_500', count: 10_000 });
  });

  it('cancels every order pending past the minimum age, page by page across runs, and writes each outcome back', async () => {
    const report = await runReconciliationNow(
      stack.env.client,
      { ...stack.sandbox.config, taskQueue: stack.taskQueue },
      {
        minAgeMs: 15 * 60_000,
        batchSize: 2,
        concurrency: 2,
        batchesPerRun: 1,
        waitMs: 60_000,
        cadence: FAST,
      },
    );

    expect(report).toMatchObject({
      candidates: 5,
      byOutcome: { closed_unpaid: 2, refunded: 2, needs_review: 1 },
      needsReview: [
        {
          provider: 'pingpp',
          merchantId: unknownPingpp.merchantId,
          orderId: unknownPingpp.orderId,
          reason: expect.any(String),
        },
      ],
      errors: [],
      // Five candidates in pages of two, one page per run: three runs chained by continue-as-new.
      batches: 3,
      runs: 3,
    });
    expect(await row(unpaidQf)).toMatchObject({ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid' } });
    expect(await row(unpaidWx)).toMatchObject({ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid' } });
    expect(await row(paidQf)).toMatchObject({ status: 'refunded', outcome: { kind: 'refunded' } });
    expect(await row(paidPayjs)).toMatchObject({ status: 'refunded', outcome: { kind: 'refunded' } });
    expect(await row(unknownPingpp)).toMatchObject({
      status: 'needs_review',
      outcome: { reviewReason: report.needsReview[0]!.reason },
    });
    // Not old enough, or already settled: not touched, and no cancellation was started for them.
    expect(await row(young)).toEqual({ status: 'pending', outcome: null });
    expect(await row(settled)).toEqual({ status: 'closed_unpaid', outcome: null });
    expect(await getCancellationById(stack.env.client, idOf(young))).toBeUndefined();
    expect(await getCancellationById(stack.env.client, idOf(settled))).toBeUndefined();

    const ledger = await stack.ledger();
    expect(ledger.overReturned).toEqual([]);
    expect(await stack.ledgerFor(paidQf.orderId)).toMatchObject({ paid: 1300, returned: 1300, refundCount: 1 });
    expect(await stack.ledgerFor(paidPayjs.orderId)).toMatchObject({ paid: 900, returned: 900, refundCount: 1 });
    expect(await stack.ledgerFor(unknownPingpp.orderId)).toMatchObject({ paid: 700, returned: 0, refundCount: 0 });
  });

  it('shows its progress while it runs: the getReport query and the details panel', async () => {
    const workflowId = `reconcile-progress-${Date.now()}`;
    const handle = await stack.env.client.workflow.start('reconcile', {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ minAgeMs: 15 * 60_000, cadence: FAST }],
    });
    const report = await handle.result();
    expect(await handle.query('getReport')).toEqual(report);
    // What the UI's details panel shows: the run's current details, read through the SDK's metadata query.
    const { currentDetails: current } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(current).toContain(`**${report.candidates} candidates** in 1 batch(es), run 1`);
    expect(current).toContain(`needs review: pingpp ${unknownPingpp.merchantId} ${unknownPingpp.orderId}`);
  });

  it('a second reconciliation moves no money again: it only looks at the order still in review', async () => {
    const report = await runReconciliationNow(
      stack.env.client,
      { ...stack.sandbox.config, taskQueue: stack.taskQueue },
      { minAgeMs: 15 * 60_000, cadence: FAST },
    );
    expect(report).toMatchObject({ candidates: 1, byOutcome: { needs_review: 1 }, runs: 1 });
    expect(await stack.ledgerFor(paidQf.orderId)).toMatchObject({ refundCount: 1 });
    expect(await stack.ledgerFor(paidPayjs.orderId)).toMatchObject({ refundCount: 1 });
  });

  it('`rescind reconcile` picks up new stuck orders and the operator-resolved one, and writes both back', async () => {
    await stack.sandbox.admin('DELETE', '/faults');
    await resolveReview(stack.env.client, idOf(unknownPingpp), {
      action: 'mark_resolved',
      note: 'refunded by hand in the Ping++ dashboard',
      operator: 'ops',
    });
    const fresh = await stuckOrder({ provider: 'qfpay', state: 'unpaid', amount: 1500, payType: '800201' });

    const run = await rescind(['reconcile', '--min-age', '15m', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      candidates: 2,
      byOutcome: { closed_unpaid: 1, resolved_by_operator: 1 },
      needsReview: [],
      errors: [],
    });
    expect(await row(fresh)).toMatchObject({ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid' } });
    expect(await row(unknownPingpp)).toMatchObject({
      status: 'resolved_by_operator',
      outcome: { kind: 'resolved_by_operator' },
    });
  });

  it('every reconciliation run (continue-as-new chain included) replays cleanly with the current workflow code', async () => {
    // The runs so far: three from the first reconciliation, one each from the progress test, the second and the CLI.
    const runs = await eventually(async () => {
      const found: { workflowId: string; runId: string }[] = [];
      for await (const wf of stack.env.client.workflow.list({
        query: `WorkflowType = 'reconcile' AND TaskQueue = '${stack.taskQueue}'`,
      }))
        found.push({ workflowId: wf.workflowId, runId: wf.runId });
      return found.length >= 6 ? found : undefined;
    });
    const histories = await Promise.all(
      runs.map(async (r) => ({
        workflowId: r.workflowId,
        history: await stack.env.client.workflow.getHandle(r.workflowId, r.runId).fetchHistory(),
      })),
    );
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
      expect({ workflowId: result.workflowId, error: result.error?.message }).toEqual({
        workflowId: result.workflowId,
        error: undefined,
      });
      replayed += 1;
    }
    expect(replayed).toBe(runs.length);
  });

  it('`rescind reconcile` refuses a bad duration, naming the option, and starts nothing', async () => {
    const run = await rescind(['reconcile', '--min-age', 'soon'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('min-age: "soon" is not a duration like 90s, 15m, 2h or 1d');
    // Without --min-age the configured RESCIND_RECONCILE_MIN_AGE applies, and is checked the same way.
    const configured = await rescind(['reconcile'], { ...env, RESCIND_RECONCILE_MIN_AGE: 'a while' });
    expect(configured.code).toBe(2);
    expect(configured.stderr).toContain('RESCIND_RECONCILE_MIN_AGE: "a while" is not a duration');
  });
});

describe('the reconciliation schedule through the CLI', () => {
  afterAll(async () => {
    await stack.env.client.schedule
      .getHandle(RECONCILE_SCHEDULE_ID)
      .delete()
      .catch(() => undefined);
  });

  // Seven rescind processes one after another (3 s each idle, 13 s and more on two loaded cores) and
  // a run at QFPay's real cadence: this test has run near the 120 s default under load.
  it('create, trigger (a stuck order is cancelled), pause, unpause, describe and delete', async () => {
    const stuck = await stuckOrder({ provider: 'qfpay', state: 'unpaid', amount: 1700, payType: '800201' });

    const created = await rescind(['schedule', 'create', '--every', '1h', '--min-age', '15m', '--json'], env);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      scheduleId: RECONCILE_SCHEDULE_ID,
      paused: false,
      nextRuns: [expect.any(String), expect.any(String), expect.any(String)],
    });
    const description = await stack.env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'reconcile',
      taskQueue: stack.taskQueue,
    });
    expect(description.policies.overlap).toBe('SKIP');

    expect((await rescind(['schedule', 'trigger'], env)).code).toBe(0);
    // The scheduled run uses the providers' real cadence: QFPay confirms a close after 5 s.
    const settledRow = await eventually(async () => {
      const r = await row(stuck);
      return r.status === 'pending' || r.status === 'cancelling' ? undefined : r;
    }, 500);
    expect(settledRow).toMatchObject({ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid' } });

    const paused = await rescind(['schedule', 'pause', '--json'], env);
    expect(JSON.parse(paused.stdout)).toMatchObject({ paused: true, note: 'paused with rescind schedule pause' });
    const unpaused = await rescind(['schedule', 'unpause'], env);
    expect(unpaused.stdout).toMatch(new RegExp(`^${RECONCILE_SCHEDULE_ID}: active; next runs `));
    const described = await rescind(['schedule', 'describe', '--json'], env);
    expect(JSON.parse(described.stdout)).toMatchObject({ paused: false, recentRuns: 1 });

    expect(await rescind(['schedule', 'delete'], env)).toMatchObject({
      code: 0,
      stdout: `deleted ${RECONCILE_SCHEDULE_ID}\n`,
    });
    const gone = await rescind(['schedule', 'describe'], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(
      `there is no ${RECONCILE_SCHEDULE_ID} schedule on this namespace; create it with: rescind schedule create`,
    );
  }, 300_000);

  it('refuses an unknown action or a bad interval, naming what to fix', async () => {
    const unknown = await rescind(['schedule', 'stop'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('action: "stop" is not one of create, pause, unpause, trigger, delete, describe');
    const bad = await rescind(['schedule', 'create', '--every', 'hourly'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('every: "hourly" is not a duration');
  });
});

describe('rescind init-db', () => {
  it('needs a PostgreSQL order source', async () => {
    const run = await rescind(['init-db'], { ...env, RESCIND_ORDER_SOURCE: 'file:.data/orders.json' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RESCIND_ORDER_SOURCE: set it to a postgres:// URL');
  });

  it('names a bad RESCIND_ORDER_SOURCE without echoing its password', async () => {
    const run = await rescind(['init-db'], { ...env, RESCIND_ORDER_SOURCE: 'mysql://app:hunter2@db/orders' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'RESCIND_ORDER_SOURCE: must be file:<path> or a postgres:// URL (got "mysql://app:***@db/orders")',
    );
    expect(run.stderr).not.toContain('hunter2');
  });
});
