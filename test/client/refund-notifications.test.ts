/**
 * Refund notifications on the real stack: Temporal dev server, workers, the sandbox over HTTP and the API's
 * /notify/<provider> receivers. For QFPay, WeChat Pay and Ping++: a refund that settles while the run waits on it is
 * notified by the sandbox, verified and acknowledged by the API, and wakes the run's refund check; the admin API sends
 * it again; a forged one is refused; a receiver that fails is retried on the provider's documented schedule
 * (time-scaled). And a WeChat refund that bounces (ABNORMAL) ends in review with what the operator must do, with no
 * money returned. PAYJS documents no refund notification, so it has none here.
 *
 * Every notification reaches the API through a small proxy that can answer 500 instead, as a failing receiver would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providerDescriptor } from '../../activities/providers/index.js';
import { REFUND_ABNORMAL_ACTION } from '../../activities/providers/wechatpay/codes.js';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { cancellationWorkflowId, type ProviderId } from '../../domain/index.js';
import type { Delivery, OutgoingNotification } from '../../sandbox/notifier.js';
import { pingppRefundNotification } from '../../sandbox/providers/pingpp/notification.js';
import { qfpayRefundNotification } from '../../sandbox/providers/qfpay/index.js';
import { wechatpayRefundNotification, wechatpaySandboxSettings } from '../../sandbox/providers/wechatpay/index.js';
import type { SandboxContext } from '../../sandbox/simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../sandbox/store.js';
import { loadConfig } from '../../worker/config.js';
import { resolveReviewUpdate } from '../../workflows/definitions.js';
import { moneyMoves, sandboxOrder } from '../helpers/sandbox-orders.js';
import { FAST, startStack, waitForState, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually, http } from './support.js';
import { forgerPrivateKeyPem } from '../helpers/forger-key.js';

type RefundingProvider = 'qfpay' | 'wechatpay' | 'pingpp';

/** The sandbox replays each provider's schedule 10 000 times faster: 2 min become 12 ms. */
const TIME_SCALE = 0.0001;
const S = 1_000;
const M = 60 * S;
/** The first waits of each provider's documented redelivery schedule (docs/providers/<id>.md). */
const FIRST_WAITS: Record<RefundingProvider, number[]> = {
  qfpay: [2 * M, 10 * M, 10 * M], // §7
  wechatpay: [15 * S, 15 * S, 30 * S], // §4.3
  pingpp: [2 * M, 10 * M, 10 * M], // §3
};
const PAY_TYPES: Record<RefundingProvider, string> = { qfpay: '800208', wechatpay: 'NATIVE', pingpp: 'alipay_qr' };
const EVENTS: Record<RefundingProvider, string> = {
  qfpay: 'refund',
  wechatpay: 'REFUND.SUCCESS',
  pingpp: 'refund.succeeded',
};
const ACKS: Record<RefundingProvider, { status: number; body: string }> = {
  qfpay: { status: 200, body: 'SUCCESS' },
  wechatpay: { status: 204, body: '' },
  pingpp: { status: 200, body: 'ok' },
};
const BUILDERS: Record<
  RefundingProvider,
  (order: SandboxOrder, refund: SandboxRefund, ctx: SandboxContext) => OutgoingNotification
> = {
  qfpay: qfpayRefundNotification,
  wechatpay: wechatpayRefundNotification,
  pingpp: pingppRefundNotification,
};

let stack: Stack;
let api: ApiServer;
let proxy: Server;
/** The proxy answers 500 to this many of the next notifications for this provider. */
const failing: { provider?: ProviderId; left: number } = { left: 0 };

beforeAll(async () => {
  stack = await startStack();
  const config = {
    ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: 'unused-by-providers' }),
    taskQueue: stack.taskQueue,
  };
  api = await startApiServer({ config, client: stack.env.client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  proxy = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (failing.left > 0 && req.url === `/notify/${failing.provider}`) {
        failing.left -= 1;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver failing');
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => !['host', 'connection', 'content-length'].includes(k))
          .map(([k, v]) => [k, String(v)]),
      );
      void fetch(`${api.url}${req.url}`, { method: 'POST', headers, body }).then(async (answer) => {
        const type = answer.headers.get('content-type');
        res.writeHead(answer.status, type ? { 'content-type': type } : {}).end(await answer.text());
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  await stack.sandbox.admin('PUT', '/notify-url', {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/notify/{provider}`,
  });
  stack.sandbox.sandbox.ctx.notifier.timeScale = TIME_SCALE;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await api?.close();
  await stack?.stop();
});

const deliveriesOf = async (orderId: string): Promise<Delivery[]> =>
  ((await stack.sandbox.admin('GET', '/notifications')).deliveries as Delivery[]).filter((d) => d.orderId === orderId);

/** The order's deliveries once `count` of them are acknowledged. */
const acknowledged = (orderId: string, count: number): Promise<Delivery[]> =>
  eventually(async () => {
    const mine = await deliveriesOf(orderId);
    return mine.filter((d) => d.acknowledged).length >= count ? mine : undefined;
  }, 20);

const resend = (order: SandboxOrderView, refundId: string, body?: unknown) =>
  stack.sandbox.admin('POST', `/orders/${order.provider}/${order.orderId}/refunds/${refundId}/notify`, body);

describe.each(['qfpay', 'wechatpay', 'pingpp'] as const)('%s refund notifications', (provider) => {
  let order: SandboxOrderView;
  let refundId: string;
  let runId: string;

  it('a refund that settles while the run waits on it is notified, verified, acknowledged, and wakes the refund check', async () => {
    // The refund stays processing at every check; only the provider finishing it (and notifying) ends the hour's wait.
    order = await stack.order({
      provider,
      state: 'paid',
      amount: 2600,
      payType: PAY_TYPES[provider],
      refundProcessingQueries: 1_000,
    });
    const handle = await stack.cancel(order, { cadence: { ...FAST, refundPollMs: 3_600_000 } });
    runId = handle.firstExecutionRunId;
    await waitForState(stack, handle, (s) => s.stage === 'waiting' && s.calls.some((c) => c.call === 'queryRefund'));
    refundId = (await sandboxOrder(stack.sandbox, provider, order.orderId)).refunds[0]!.refundId;
    expect(await deliveriesOf(order.orderId)).toEqual([]);

    expect(await resend(order, refundId, { settle: true })).toMatchObject({
      sent: true,
      refund: { refundId, status: 'succeeded' },
    });
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2600, refundKey: `${order.orderId}-RF1` });

    const state = await stack.state(handle);
    expect(state.calls.filter((c) => c.kind === 'notification').map((c) => c.result)).toEqual([
      'notification received: refunded',
    ]);
    const [delivery] = await acknowledged(order.orderId, 1);
    expect(delivery).toMatchObject({
      event: EVENTS[provider],
      refundId,
      acknowledged: true,
      attempts: [{ afterMs: 0, status: ACKS[provider].status }],
    });
    expect(await moneyMoves(stack.sandbox, order)).toMatchObject({
      paid: 2600,
      refunds: 1,
      refunded: 2600,
      overReturned: 0,
    });
  });

  it('sent again through the admin API, it is verified and acknowledged again; the finished run is left as it is', async () => {
    expect(await resend(order, refundId)).toMatchObject({ sent: true });
    const deliveries = await acknowledged(order.orderId, 2);
    // A refund notice after the run ended starts nothing: the latest run is still the one that refunded.
    const workflowId = cancellationWorkflowId(provider, order.merchantId, order.orderId);
    expect((await stack.env.client.workflow.getHandle(workflowId).describe()).runId).toBe(runId);
    expect(deliveries.map((d) => [d.event, d.refundId, d.attempts.map((a) => a.status)])).toEqual([
      [EVENTS[provider], refundId, [ACKS[provider].status]],
      [EVENTS[provider], refundId, [ACKS[provider].status]],
    ]);
    expect(await moneyMoves(stack.sandbox, order)).toMatchObject({ refunds: 1, refunded: 2600, overReturned: 0 });
  });

  it("a forged refund notification is refused with the provider's own refusal", async () => {
    const ctx = stack.sandbox.sandbox.ctx;
    const kept = ctx.store.findByOrderId(provider, order.orderId)!;
    const privateKey = forgerPrivateKeyPem();
    const c = ctx.credentials;
    const forger: SandboxContext = {
      ...ctx,
      credentials: {
        ...c,
        qfpay: { ...c.qfpay, clientKey: 'FORGED0000000000000000000000000' },
        wechatpay: { ...c.wechatpay, platformPrivateKeyPem: privateKey },
        pingpp: { ...c.pingpp, platformPrivateKeyPem: privateKey },
      },
    };
    const forged = BUILDERS[provider](kept, kept.refunds[0]!, forger);
    const res = await http('POST', `${api.url}/notify/${provider}`, { headers: forged.headers, body: forged.body });
    expect({ status: res.status, body: res.text }).toEqual({
      status: 401,
      body: providerDescriptor(provider).notifications.refuse(401, 'signature verification failed').body,
    });
    // The genuine one, sent the same way, is acknowledged.
    const genuine = BUILDERS[provider](kept, kept.refunds[0]!, ctx);
    const ok = await http('POST', `${api.url}/notify/${provider}`, { headers: genuine.headers, body: genuine.body });
    expect({ status: ok.status, body: ok.text }).toEqual(ACKS[provider]);
  });

  it('a receiver answering 500 three times is retried at the documented waits, scaled, until the API acknowledges', async () => {
    const before = (await deliveriesOf(order.orderId)).length;
    failing.provider = provider;
    failing.left = 3;
    await resend(order, refundId);
    const delivery = (await acknowledged(order.orderId, before + 1))[before]!;
    expect(failing.left).toBe(0);
    const waits = [0, ...FIRST_WAITS[provider].map((ms) => Math.round(ms * TIME_SCALE))];
    expect(delivery.plannedDelaysMs.slice(0, 4)).toEqual(waits);
    expect(delivery.attempts.map((a) => [a.afterMs, a.status])).toEqual([
      [waits[0], 500],
      [waits[1], 500],
      [waits[2], 500],
      [waits[3], ACKS[provider].status],
    ]);
    expect(delivery).toMatchObject({ acknowledged: true, gaveUp: false });
  });
});

describe('a WeChat Pay refund that turns ABNORMAL (docs/providers/wechatpay.md §6.2)', () => {
  afterAll(() => {
    wechatpaySandboxSettings.refundsTurnAbnormal = false;
  });

  it('ends in review with what the operator must do; REFUND.ABNORMAL was acknowledged; no money went back', async () => {
    // The sandbox runs in this process: the switch is set on its settings (docs/providers/wechatpay.md §6.2).
    wechatpaySandboxSettings.refundsTurnAbnormal = true;
    const order = await stack.order({ provider: 'wechatpay', state: 'paid', amount: 3100, payType: 'NATIVE' });
    const handle = await stack.cancel(order);
    const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    expect(inReview.review?.reason).toContain(
      `refund ${order.orderId}-RF1 failed at the provider (${REFUND_ABNORMAL_ACTION})`,
    );
    expect(inReview.review?.reason).toContain('status=ABNORMAL');
    expect(inReview.review?.reason).toContain(
      'refund the payer by other means, by hand in the WeChat Pay merchant platform',
    );
    expect(inReview.calls.filter((c) => c.call === 'refundOrder')).toHaveLength(1);

    const deliveries = await acknowledged(order.orderId, 1);
    expect(deliveries.map((d) => [d.event, d.attempts.map((a) => a.status)])).toEqual([['REFUND.ABNORMAL', [204]]]);
    expect(await moneyMoves(stack.sandbox, order)).toMatchObject({
      paid: 3100,
      refunds: 0,
      refunded: 0,
      returned: 0,
      overReturned: 0,
    });
    expect((await sandboxOrder(stack.sandbox, 'wechatpay', order.orderId)).refunded).toBe(0);

    // The operator refunded the payer in the merchant platform and closes the case.
    await handle.executeUpdate(resolveReviewUpdate, {
      args: [{ action: 'mark_resolved', note: 'refunded by hand in the merchant platform', operator: 'ops' }],
    });
    expect(await handle.result()).toMatchObject({
      kind: 'resolved_by_operator',
      reviewReason: expect.stringContaining('status=ABNORMAL'),
    });
    expect(await moneyMoves(stack.sandbox, order)).toMatchObject({ refunds: 0, returned: 0 });
  });
});
