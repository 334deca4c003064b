/**
 * The `rescind` command, run as a user runs it (node bin/rescind.js through tsx), against the real
 * dev server, sandbox and workers: output, --json, exit codes, and the long-running commands.
 */
import { randomUUID } from 'node:crypto';
import { RescindClient } from '../../client/library.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { FIXTURE_KEYS } from '../helpers/sandbox.js';
import { startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { cliEnv, eventually, http, rescind, startRescind, workflowExists } from './support.js';

let stack: Stack;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  stack = await startStack();
  env = cliEnv(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const FAST_CADENCE = JSON.stringify({
  unknownRetryDelayMs: 200,
  confirmDelayMs: 200,
  payingPollIntervalMs: 300,
  payingPollBudgetMs: 3000,
  refundPollMs: 200,
});
const orderArgs = (o: SandboxOrderView) => [
  '--provider',
  o.provider,
  '--merchant',
  o.merchantId,
  '--order',
  o.orderId,
  '--provider-order-id',
  o.providerOrderId,
  '--amount',
  String(o.amount),
  '--currency',
  o.currency,
  '--pay-type',
  o.payType,
  '--created-at',
  o.createdAt,
];
const json = (stdout: string) => JSON.parse(stdout);

/** The commands whose own --help lists the exit codes (the rest are named by the top-level help). */
const EXPLAINED_WITH_EXIT_CODES = [
  'cancel',
  'status',
  'list',
  'resolve',
  'notify',
  'backlog',
  'pause',
  'resume',
  'deployment',
  'setup',
  'sandbox',
  'worker',
  'replay',
  'api',
];

describe('help', () => {
  // Thirteen rescind processes one after another, each loading the CLI through tsx: about 3 s each on an
  // idle machine, but 13 s and more on two loaded cores, where this test has reached the 120 s default.
  it('explains every command, every option and the exit codes', async () => {
    const top = await rescind(['--help'], env);
    expect(top.code).toBe(0);
    for (const command of [...EXPLAINED_WITH_EXIT_CODES, 'reconcile', 'schedule', 'init-db'])
      expect(top.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(top.stdout).toContain('Exit codes:');
    for (const command of EXPLAINED_WITH_EXIT_CODES) {
      const help = await rescind([command, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes:');
      // Every option line carries an explanation after the flag.
      const options = help.stdout
        .split('Options:')[1]!
        .split('\n\n')[0]!
        .split('\n')
        .filter((l) => /^\s+-/.test(l));
      for (const line of options) expect(line.trim()).toMatch(/^(-\w, )?--[\w-]+( <[^>]+>)?\s{2,}\S/);
    }
  }, 300_000);

  it('treats a usage error as bad input (exit 2)', async () => {
    const res = await rescind(['cancle'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown command 'cancle'");
  });
});

describe('cancel, status and list', () => {
  let order: SandboxOrderView;

  it('cancel --wait --json follows the stages live and prints the outcome (exit 0)', async () => {
    order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 3300, payType: '800208' });
    // A confirm delay of 1.5 s keeps the run open long enough for the first poll to see it in progress.
    const cadence = JSON.stringify({ ...JSON.parse(FAST_CADENCE), confirmDelayMs: 1500 });
    const res = await rescind(['cancel', ...orderArgs(order), '--cadence', cadence, '--wait', '--json'], env);
    expect(res.code).toBe(0);
    const workflowId = cancellationWorkflowId('qfpay', order.merchantId, order.orderId);
    expect(json(res.stdout)).toMatchObject({
      workflowId,
      started: true,
      status: expect.any(String),
      stage: 'done',
      outcome: { kind: 'refunded', amount: 3300 },
    });
    // Live stages go to stderr with --json: first the start, then each change, ending with done.
    const lines = res.stderr.trim().split('\n');
    expect(lines[0]).toBe(`started ${workflowId}`);
    expect(lines[1]).toMatch(/^ {2}\d\d:\d\d:\d\d {2}(querying|refunding|confirming|waiting): /);
    expect(lines.at(-1)).toMatch(/^ {2}\d\d:\d\d:\d\d {2}done: /);
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
  });

  it('cancel again reaches the same cancellation and starts nothing', async () => {
    const res = await rescind(['cancel', ...orderArgs(order), '--json'], env);
    expect(res.code).toBe(0);
    expect(json(res.stdout)).toMatchObject({
      started: false,
      workflowId: cancellationWorkflowId('qfpay', order.merchantId, order.orderId),
    });
    const text = await rescind(['cancel', ...orderArgs(order)], env);
    expect(text.stdout).toContain('already exists (nothing new started)');
  });

  it('status shows the outcome and the provider calls', async () => {
    const res = await rescind(['status', 'qfpay', order.merchantId, order.orderId, '--json'], env);
    expect(res.code).toBe(0);
    const view = json(res.stdout);
    expect(view).toMatchObject({ stage: 'done', outcome: { kind: 'refunded' }, live: true });
    expect(view.calls.map((c: { call: string }) => c.call)).toContain('refundOrder');
    const text = await rescind(['status', 'qfpay', order.merchantId, order.orderId], env);
    expect(text.stdout).toContain('outcome: refunded 3300');
    const none = await rescind(['status', 'qfpay', order.merchantId, 'NO-SUCH-ORDER'], env);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('no cancellation');
  });

  it('list filters by provider and outcome through visibility', async () => {
    const workflowId = cancellationWorkflowId('qfpay', order.merchantId, order.orderId);
    const rows = await eventually(async () => {
      const res = await rescind(['list', '--provider', 'qfpay', '--outcome', 'refunded', '--json'], env);
      expect(res.code).toBe(0);
      const listed = json(res.stdout) as { workflowId: string }[];
      return listed.some((r) => r.workflowId === workflowId) ? listed : undefined;
    });
    expect(rows.find((r) => r.workflowId === workflowId)).toMatchObject({
      provider: 'qfpay',
      outcome: 'refunded',
      stage: 'done',
    });
    const other = await rescind(['list', '--provider', 'pingpp', '--json'], env);
    expect((json(other.stdout) as { workflowId: string }[]).map((r) => r.workflowId)).not.toContain(workflowId);
    const bad = await rescind(['list', '--stage', 'sleeping'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stage "sleeping" is unknown');
  });

  it('bad input exits 2, names each option to fix, and starts nothing', async () => {
    const fresh = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 100, payType: '800201' });
    const res = await rescind(
      [
        'cancel',
        '--provider',
        'qfpay',
        '--merchant',
        fresh.merchantId,
        '--order',
        fresh.orderId,
        '--amount',
        '-100',
        '--created-at',
        'yesterday',
      ],
      env,
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--amount: amount must be greater than 0');
    expect(res.stderr).toContain('--created-at: createdAt must be an ISO-8601 time');
    const missing = await rescind(['cancel', '--provider', 'paypal', '--amount', '5'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--provider: provider "paypal" is unknown');
    expect(missing.stderr).toContain('--merchant: merchantId is required');
    expect(missing.stderr).toContain('--order: orderId is required');
    const payjs = await rescind(['cancel', '--provider', 'payjs', '--order', 'A1', '--amount', '5'], env);
    // The merchant defaults to the configured PAYJS_MCHID; the PAYJS order id is still missing.
    expect(payjs.code).toBe(2);
    expect(payjs.stderr).not.toContain('--merchant');
    expect(payjs.stderr).toContain('--provider-order-id: providerOrderId is required for payjs');
    expect(
      await workflowExists(stack.env.client, cancellationWorkflowId('qfpay', fresh.merchantId, fresh.orderId)),
    ).toBe(false);
  });
});

describe('review, timeout and notify', () => {
  it('cancel --wait exits 3 on needs_review; resolve settles it', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 1800, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 5 });
    const res = await rescind(['cancel', ...orderArgs(order), '--cadence', FAST_CADENCE, '--wait', '--json'], env);
    expect(res.code).toBe(3);
    expect(json(res.stdout)).toMatchObject({ stage: 'needs_review', review: { reason: expect.any(String) } });
    const args = ['resolve', 'wechatpay', order.merchantId, order.orderId];

    const noNote = await rescind([...args, '--action', 'mark_resolved'], env);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toContain('note: note is required with mark_resolved');
    const statusInReview = await rescind(['status', 'wechatpay', order.merchantId, order.orderId], env);
    expect(statusInReview.code).toBe(3);

    const resolved = await rescind(
      [
        ...args,
        '--action',
        'mark_resolved',
        '--note',
        'closed in the merchant portal',
        '--operator',
        'ops-cli',
        '--json',
      ],
      env,
    );
    expect(resolved.code).toBe(0);
    expect(json(resolved.stdout)).toMatchObject({
      stage: 'done',
      outcome: { kind: 'resolved_by_operator', operator: 'ops-cli' },
    });
    const again = await rescind([...args, '--action', 'retry'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('nothing to resolve');
  });

  it('cancel --wait exits 4 after --timeout; notify then wakes the run', async () => {
    const order = await stack.order({ provider: 'payjs', state: 'unpaid', amount: 770, payType: 'native' });
    await stack.fault({ provider: 'payjs', call: 'query', kind: 'http_500', count: 1 });
    const slow = JSON.stringify({ unknownRetryDelayMs: 3_600_000, confirmDelayMs: 200, refundPollMs: 200 });
    const res = await rescind(
      ['cancel', ...orderArgs(order), '--cadence', slow, '--wait', '--timeout', '2', '--json'],
      env,
    );
    expect(res.code).toBe(4);
    expect(json(res.stdout)).toMatchObject({ timedOut: true, status: 'RUNNING' });

    await stack.sandbox.admin('POST', `/orders/payjs/${order.orderId}/pay`);
    const notified = await rescind(
      ['notify', 'payjs', order.merchantId, order.orderId, '--event', 'paid', '--json'],
      env,
    );
    expect(notified.code).toBe(0);
    expect(json(notified.stdout)).toEqual({ delivered: true });
    const rescindClient = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
    expect(
      await rescindClient.waitForOutcome({ provider: 'payjs', merchantId: order.merchantId, orderId: order.orderId }),
    ).toMatchObject({ kind: 'refunded', amount: 770 });

    const nobody = await rescind(['notify', 'payjs', order.merchantId, 'NO-SUCH-ORDER'], env);
    expect(nobody.code).toBe(1);
    expect(nobody.stdout).toContain('no running cancellation');
    const badEvent = await rescind(['notify', 'payjs', order.merchantId, order.orderId, '--event', 'maybe'], env);
    expect(badEvent.code).toBe(2);
  });
});

describe('long-running commands', () => {
  it('rescind sandbox serves the admin API, prints the environment to use, and stops on Ctrl-C', async () => {
    const sandbox = await startRescind(['sandbox', '--port', '0', '--keys', FIXTURE_KEYS], env, /Stop with Ctrl-C/);
    const url = sandbox.output().match(/sandbox on (http:\/\/\S+)/)![1]!;
    expect(sandbox.output()).toContain(`export QFPAY_BASE_URL="${url}/qfpay"`);
    const created = await http('POST', `${url}/_admin/orders`, {
      json: { provider: 'qfpay', state: 'unpaid', amount: 100 },
    });
    expect(created.status).toBe(201);
    expect(await sandbox.stop()).toBe(0);
  });

  it('rescind api serves the HTTP API with the configured token, and stops on Ctrl-C', async () => {
    const token = `cli-${randomUUID()}`;
    const api = await startRescind(
      ['api', '--port', '0', '--log-level', 'warn'],
      { ...env, RESCIND_API_TOKENS: token },
      /HTTP API on (http:\/\/\S+)/,
    );
    const url = api.match[1]!;
    expect((await http('GET', `${url}/healthz`)).body).toEqual({ ok: true });
    const order = await stack.order({ provider: 'qfpay', state: 'closed', amount: 100, payType: '800201' });
    const body = {
      order: {
        provider: 'qfpay',
        merchantId: order.merchantId,
        orderId: order.orderId,
        amount: 100,
        payType: '800201',
      },
    };
    expect((await http('POST', `${url}/v1/cancellations`, { json: body })).status).toBe(401);
    const started = await http('POST', `${url}/v1/cancellations`, { token, json: body });
    expect(started.status).toBe(202);
    expect(await api.stop()).toBe(0);
    const rescindClient = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
    expect(await rescindClient.waitForOutcome({ workflowId: started.body.workflowId })).toMatchObject({
      kind: 'already_closed',
    });
  });

  it('rescind api refuses to start without tokens on a non-loopback address (exit 2)', async () => {
    const res = await rescind(['api', '--host', '0.0.0.0', '--port', '0'], { ...env, RESCIND_API_TOKENS: '' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('RESCIND_API_TOKENS is empty');
  });

  it('rescind worker runs cancellations from its task queue and stops on Ctrl-C', async () => {
    const taskQueue = `cli-worker-${randomUUID()}`;
    const worker = await startRescind(['worker'], { ...env, RESCIND_TASK_QUEUE: taskQueue }, /\[rescind\] worker on/);
    const order = await stack.order({ provider: 'wechatpay', state: 'closed', amount: 100, payType: 'NATIVE' });
    const client = new RescindClient(stack.env.client, { taskQueue });
    const { workflowId } = await client.start({
      order: {
        provider: 'wechatpay',
        merchantId: order.merchantId,
        orderId: order.orderId,
        amount: 100,
        payType: 'NATIVE',
      },
    });
    expect(await client.waitForOutcome({ workflowId })).toMatchObject({ kind: 'already_closed' });
    expect(await worker.stop()).toBe(0);
  });
});
