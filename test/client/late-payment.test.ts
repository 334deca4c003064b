/**
 * A payment that lands after the cancellation ended, on the real stack (dev server, workers, HTTP API,
 * sandbox over HTTP). The order is closed or reversed unpaid; then the customer's wallet completes the
 * payment (the sandbox's late-payment admin action moves the money) and the provider's signed
 * notification reaches /notify/<provider>. A second run under the same workflow id must query, find
 * the order paid and refund it, exactly once, however often the notification arrives. An order Rescind
 * never cancelled is left alone.
 */
import { cancellationWorkflowId, type OutcomeKind, type ProviderId } from '../../domain/index.js';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { endedWithoutMoney } from '../../client/api/notifications/late-payment.js';
import { RescindClient, type CancellationView } from '../../client/library.js';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import type { OutgoingNotification } from '../../sandbox/notifier.js';
import { loadConfig } from '../../worker/config.js';
import { FAST, startStack, type LedgerSummary, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { cliEnv, eventually, http, rescind as runCli, workflowExists } from './support.js';

const TOKEN = 'late-payment-test-token';
let stack: Stack;
let api: ApiServer;
let rescind: RescindClient;
/** The ledger rows of the first scenario per provider, printed at the end. */
const figures: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startStack();
  const config = { ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: TOKEN }), taskQueue: stack.taskQueue };
  api = await startApiServer({ config, client: stack.env.client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  rescind = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
  await stack.sandbox.admin('PUT', '/notify-url', { url: `${api.url}/notify/{provider}` });
});
afterAll(async () => {
  if (figures.length > 0) console.log(`late-payment ledger:\n${figures.map((f) => JSON.stringify(f)).join('\n')}`);
  await api?.close();
  await stack?.stop();
});

/** Pay types whose cancellation is a close (PAYJS, WeChat) or a reverse (QFPay CPM, Ping++ QR). */
const PAY_TYPES: Record<ProviderId, string> = {
  payjs: 'native',
  qfpay: '800208',
  wechatpay: 'NATIVE',
  pingpp: 'alipay_qr',
};
const ACKS: Record<ProviderId, { status: number; body: string }> = {
  payjs: { status: 200, body: 'success' },
  qfpay: { status: 200, body: 'SUCCESS' },
  wechatpay: { status: 204, body: '' },
  pingpp: { status: 200, body: 'ok' },
};

const idOf = (order: SandboxOrderView) => cancellationWorkflowId(order.provider, order.merchantId, order.orderId);

/** Create an unpaid order and cancel it to closed_unpaid through the library. */
async function closedUnpaidOrder(provider: ProviderId, amount: number): Promise<SandboxOrderView> {
  const order = await stack.order({ provider, state: 'unpaid', amount, payType: PAY_TYPES[provider] });
  const { merchantId, orderId, providerOrderId, currency, payType, createdAt } = order;
  const { workflowId } = await rescind.start({
    order: { provider, merchantId, orderId, providerOrderId, amount, currency, payType, createdAt },
    reason: 'payment timeout',
    requestedBy: 'checkout',
    cadence: FAST,
  });
  expect(await rescind.waitForOutcome({ workflowId })).toMatchObject({ kind: 'closed_unpaid' });
  return order;
}

/** The provider's signed payment notification for the order as the sandbox holds it now (built once, sent again). */
function notificationFor(order: SandboxOrderView): OutgoingNotification {
  const ctx = stack.sandbox.sandbox.ctx;
  const stored = ctx.store.findByOrderId(order.provider, order.orderId)!;
  return SIMULATORS.find((s) => s.id === order.provider)!.paymentNotification(stored, ctx);
}

async function deliver(n: OutgoingNotification): Promise<{ status: number; body: string }> {
  const res = await http('POST', `${api.url}/notify/${n.provider}`, { headers: n.headers, body: n.body });
  return { status: res.status, body: res.text };
}

/** The latest run's view once it has the outcome `kind`. */
const outcomeOfLatestRun = (workflowId: string, kind: OutcomeKind): Promise<CancellationView> =>
  eventually(async () => {
    const view = await rescind.get({ workflowId });
    return view?.outcome?.kind === kind ? view : undefined;
  });

/**
 * Every run under the workflow id, from visibility: read once the latest run (describe is consistent)
 * is listed too, so a run started after the others cannot be missing from the count.
 */
async function runsOf(workflowId: string): Promise<{ runId: string; status: string }[]> {
  const latest = (await stack.env.client.workflow.getHandle(workflowId).describe()).runId;
  return eventually(async () => {
    const runs: { runId: string; status: string }[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      runs.push({ runId: wf.runId, status: wf.status.name });
    }
    return runs.some((r) => r.runId === latest) ? runs : undefined;
  });
}

const ledgerOf = async (orderId: string) => {
  const ledger: LedgerSummary = await stack.ledger();
  return {
    summary: ledger.orders.find((o) => o.orderId === orderId),
    entries: ledger.entries.filter((e) => e.orderId === orderId),
  };
};

describe('which finished cancellations a late payment reopens', () => {
  it('only outcomes where no money went back and none is known to be held', () => {
    expect(endedWithoutMoney({ kind: 'closed_unpaid', via: 'close', providerCode: 'x' })).toBe(true);
    expect(endedWithoutMoney({ kind: 'already_closed', reason: 'expired', providerCode: 'x' })).toBe(true);
    expect(endedWithoutMoney({ kind: 'not_found', providerCode: 'x' })).toBe(true);
    expect(endedWithoutMoney({ kind: 'reversed', moneyReturned: false, providerCode: 'x' })).toBe(true);
    expect(endedWithoutMoney({ kind: 'reversed', moneyReturned: true, providerCode: 'x' })).toBe(false);
    expect(endedWithoutMoney({ kind: 'refunded', amount: 1, refundKey: 'A-RF1', providerCode: 'x' })).toBe(false);
    expect(endedWithoutMoney({ kind: 'already_refunded', refundedAmount: 1, providerCode: 'x' })).toBe(false);
    expect(endedWithoutMoney({ kind: 'resolved_by_operator', note: 'done by hand', reviewReason: 'r' })).toBe(false);
    expect(endedWithoutMoney({ kind: 'needs_review', reason: 'r' })).toBe(false);
  });
});

const PROVIDERS = ['qfpay', 'wechatpay', 'payjs', 'pingpp'] as const;

describe.each(PROVIDERS)('%s: a payment after the cancellation ended', (provider) => {
  it("the sandbox's signed notification starts one more run, which refunds once; replays change nothing", async () => {
    const order = await closedUnpaidOrder(provider, 2345);
    const workflowId = idOf(order);
    const firstRun = (await rescind.get({ workflowId }))!.runId;

    const landed = await stack.sandbox.admin('POST', `/orders/${provider}/${order.orderId}/late-payment`);
    expect(landed).toMatchObject({ notification: 'sent', order: { state: 'paid' } });
    const view = await outcomeOfLatestRun(workflowId, 'refunded');
    expect(view.outcome).toMatchObject({ kind: 'refunded', amount: 2345 });
    expect(view.runId).not.toBe(firstRun);
    expect(view.order).toMatchObject({ orderId: order.orderId, amount: 2345, payType: PAY_TYPES[provider] });
    await eventually(async () => {
      const { deliveries } = await stack.sandbox.admin('GET', '/notifications');
      const all = deliveries as { orderId: string; acknowledged: boolean }[];
      return all.find((d) => d.orderId === order.orderId && d.acknowledged);
    });

    // The provider delivers the same notification again (and again): acknowledged, nothing new.
    const replay = notificationFor(order);
    for (let i = 0; i < 3; i++) expect(await deliver(replay)).toEqual(ACKS[provider]);

    const runs = await runsOf(workflowId);
    expect(runs.map((r) => r.runId).sort()).toEqual([firstRun, view.runId].sort());
    const { summary, entries } = await ledgerOf(order.orderId);
    const { merchantId, orderId } = order;
    const once = { paid: 2345, returned: 2345, refundCount: 1, overReturned: false };
    expect(summary).toEqual({ provider, merchantId, orderId, ...once });
    const movements = entries.map((e) => `${e.kind} ${e.amount}`);
    expect(movements).toEqual(['payment 2345', 'refund 2345']);
    figures.push({ scenario: 'sandbox notification + 3 replays', ...summary, movements, runs: runs.length });

    // The API and the CLI show both runs; the new one says what caused it.
    const res = await http('GET', `${api.url}/v1/cancellations/${provider}/${merchantId}/${orderId}`, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toMatchObject({ kind: 'refunded' });
    expect(res.body.runs).toHaveLength(2);
    const lateRun = { runId: view.runId, outcome: 'refunded', startedBy: 'late payment notification' };
    expect(res.body.runs[0]).toMatchObject(lateRun);
    expect(res.body.runs[0].status).toBe('COMPLETED');
    expect(res.body.runs[1]).toMatchObject({ runId: firstRun, status: 'COMPLETED', outcome: 'closed_unpaid' });
    const status = await runCli(['status', provider, merchantId, orderId], cliEnv(stack));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`run ${view.runId}  COMPLETED  refunded  (late payment notification)`);
    expect(status.stdout).toContain(`run ${firstRun}  COMPLETED  closed_unpaid`);
  });

  it('the same notification delivered three times at once starts one run and refunds once', async () => {
    const order = await closedUnpaidOrder(provider, 3456);
    const workflowId = idOf(order);
    const path = `/orders/${provider}/${order.orderId}/late-payment`;
    const landed = await stack.sandbox.admin('POST', path, { notify: false });
    expect(landed).toMatchObject({ notification: 'not sent', order: { state: 'paid' } });

    const n = notificationFor(order);
    const answers = await Promise.all([deliver(n), deliver(n), deliver(n)]);
    expect(answers).toEqual([ACKS[provider], ACKS[provider], ACKS[provider]]);
    await outcomeOfLatestRun(workflowId, 'refunded');
    for (let i = 0; i < 3; i++) expect(await deliver(n)).toEqual(ACKS[provider]);

    const runs = await runsOf(workflowId);
    expect(runs).toHaveLength(2);
    const { summary, entries } = await ledgerOf(order.orderId);
    expect(summary).toMatchObject({ paid: 3456, returned: 3456, refundCount: 1, overReturned: false });
    const movements = entries.map((e) => `${e.kind} ${e.amount}`);
    figures.push({ scenario: '3 at once + 3 more', ...summary, movements, runs: runs.length });
  });

  it('a late-payment run that finds nothing to refund is not followed by another', async () => {
    // A verified "paid" notification for an order the provider still shows closed (e.g. a stale one):
    // the extra run queries, finds it closed and ends; later deliveries start nothing more.
    const order = await closedUnpaidOrder(provider, 4567);
    const workflowId = idOf(order);
    const firstRun = (await rescind.get({ workflowId }))!.runId;
    const n = notificationFor(order);
    expect(await deliver(n)).toEqual(ACKS[provider]);
    const view = await eventually(async () => {
      const v = await rescind.get({ workflowId });
      return v && v.runId !== firstRun && v.outcome ? v : undefined;
    });
    // PAYJS cannot show a closure (its check says unpaid), so its run closes again; the others see it closed.
    expect(view.outcome!.kind).toBe(provider === 'payjs' ? 'closed_unpaid' : 'already_closed');
    for (let i = 0; i < 3; i++) expect(await deliver(n)).toEqual(ACKS[provider]);

    const runs = await runsOf(workflowId);
    expect(runs).toHaveLength(2);
    expect((await rescind.get({ workflowId }))!.runId).toBe(view.runId);
    expect(await ledgerOf(order.orderId)).toEqual({ summary: undefined, entries: [] });
  });

  it('a payment notification for an order Rescind never cancelled is acknowledged and starts nothing', async () => {
    const order = await stack.order({ provider, state: 'paid', amount: 5678, payType: PAY_TYPES[provider] });
    const n = notificationFor(order);
    for (let i = 0; i < 3; i++) expect(await deliver(n)).toEqual(ACKS[provider]);
    expect(await workflowExists(stack.env.client, idOf(order))).toBe(false);
    expect((await ledgerOf(order.orderId)).summary).toMatchObject({ paid: 5678, returned: 0, refundCount: 0 });
  });
});

describe('rescind notify', () => {
  it('for a late payment starts the refunding run and says so; a second notify starts nothing', async () => {
    const order = await closedUnpaidOrder('wechatpay', 6789);
    await stack.sandbox.admin('POST', `/orders/wechatpay/${order.orderId}/late-payment`, { notify: false });
    const args = ['notify', 'wechatpay', order.merchantId, order.orderId, '--event', 'paid', '--json'];

    const first = await runCli(args, cliEnv(stack));
    expect(first.code).toBe(0);
    const started = JSON.parse(first.stdout);
    const lateRun = { previousOutcome: 'closed_unpaid', runId: expect.any(String) };
    expect(started).toMatchObject({ delivered: true, lateRun });
    const view = await outcomeOfLatestRun(idOf(order), 'refunded');
    expect(view.runId).toBe(started.lateRun.runId);

    const again = await runCli(args, cliEnv(stack));
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({ delivered: false, reason: 'the cancellation ended refunded' });
    expect((await ledgerOf(order.orderId)).summary).toMatchObject({ paid: 6789, returned: 6789, refundCount: 1 });
  });
});
