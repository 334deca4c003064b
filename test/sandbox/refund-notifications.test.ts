/**
 * The sandbox's notification deliveries: each provider's documented redelivery schedule (time-scaled), giving up
 * after its last attempt, a fixed list overriding it, and the admin call that sends a refund's notification again.
 * Real HTTP throughout: the sandbox POSTs to a local receiver that answers as the test says.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderId } from '../../domain/index.js';
import { Notifier, type Delivery } from '../../sandbox/notifier.js';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import { pingppRefundNotification } from '../../sandbox/providers/pingpp/notification.js';
import { qfpayRefundNotification } from '../../sandbox/providers/qfpay/index.js';
import { wechatpayRefundNotification } from '../../sandbox/providers/wechatpay/index.js';
import { buildSandbox } from '../../sandbox/server.js';
import { createSandboxOrder, sandboxOrder } from '../helpers/sandbox-orders.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
/** The waits between deliveries as each provider documents them (docs/providers/<id>.md, notification sections). */
const DOCUMENTED: Record<ProviderId, number[]> = {
  // §4: pushes at 0, 15, 30, 180, 1800, 3600 s.
  payjs: [15 * S, 15 * S, 150 * S, 1620 * S, 1800 * S],
  // §7: 2m, 10m, 10m, 60m, 2h, 6h, 15h.
  qfpay: [2 * M, 10 * M, 10 * M, 60 * M, 2 * H, 6 * H, 15 * H],
  // §4.3: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h.
  wechatpay: [
    15 * S,
    15 * S,
    30 * S,
    3 * M,
    10 * M,
    20 * M,
    30 * M,
    30 * M,
    30 * M,
    60 * M,
    3 * H,
    3 * H,
    3 * H,
    6 * H,
    6 * H,
  ],
  // §3: 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h.
  pingpp: [2 * M, 10 * M, 10 * M, H, 2 * H, 6 * H, 15 * H],
};

/** A receiver answering 500 for its first `failures` requests, then the provider's ack. */
interface Receiver {
  url: string;
  requests: number;
  failures: number;
  close(): Promise<void>;
}
async function startReceiver(ack: Record<ProviderId, { status: number; body: string }>): Promise<Receiver> {
  const r = { requests: 0, failures: 0 } as Receiver;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      r.requests += 1;
      const provider = req.url!.split('/').pop() as ProviderId;
      const answer = r.requests <= r.failures ? { status: 500, body: 'not now' } : ack[provider];
      res.writeHead(answer.status).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/{provider}`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}
const ACKS: Record<ProviderId, { status: number; body: string }> = {
  payjs: { status: 200, body: 'success' },
  qfpay: { status: 200, body: 'SUCCESS' },
  wechatpay: { status: 204, body: '' },
  pingpp: { status: 200, body: 'ok' },
};

async function settled(list: () => Delivery[], done: (d: Delivery) => boolean): Promise<Delivery> {
  for (;;) {
    const found = list().find(done);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('retry schedules', () => {
  const built = buildSandbox({ keyDir: FIXTURE_KEYS });
  const ctx = built.ctx;
  afterAll(() => built.app.close());

  it.each(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const)(
    '%s payment notifications follow the documented waits, scaled',
    (provider) => {
      const order = ctx.store.create({ provider, state: 'paid', amount: 100 });
      const n = SIMULATORS.find((s) => s.id === provider)!.paymentNotification(order, ctx);
      expect(new Notifier(undefined, undefined, { timeScale: 1 }).plannedDelays(n)).toEqual([
        0,
        ...DOCUMENTED[provider],
      ]);
      expect(new Notifier(undefined, undefined, { timeScale: 0.001 }).plannedDelays(n)).toEqual([
        0,
        ...DOCUMENTED[provider].map((ms) => ms / 1000),
      ]);
    },
  );

  it('refund notifications follow the same schedules; the totals are what the providers document', () => {
    const refundOf = (provider: 'qfpay' | 'wechatpay' | 'pingpp') => {
      const order = ctx.store.create({ provider, state: 'paid', amount: 100 });
      return { order, refund: ctx.store.addRefund(order, 100, { refundKey: `${order.orderId}-RF1` }) };
    };
    const real = new Notifier(undefined, undefined, { timeScale: 1 });
    const q = refundOf('qfpay');
    const w = refundOf('wechatpay');
    const p = refundOf('pingpp');
    expect(real.plannedDelays(qfpayRefundNotification(q.order, q.refund, ctx))).toEqual([0, ...DOCUMENTED.qfpay]);
    expect(real.plannedDelays(wechatpayRefundNotification(w.order, w.refund, ctx))).toEqual([
      0,
      ...DOCUMENTED.wechatpay,
    ]);
    expect(real.plannedDelays(pingppRefundNotification(p.order, p.refund, ctx))).toEqual([0, ...DOCUMENTED.pingpp]);
    const sum = (ms: number[]) => ms.reduce((a, b) => a + b, 0);
    expect(sum(DOCUMENTED.wechatpay)).toBe(24 * H + 4 * M);
    // Ping++: up to 8 deliveries within 25 h.
    expect(DOCUMENTED.pingpp).toHaveLength(7);
    expect(sum(DOCUMENTED.pingpp)).toBeLessThanOrEqual(25 * H);
    // PAYJS: the last automatic push one hour after the first.
    expect(sum(DOCUMENTED.payjs)).toBe(H);
  });

  it('a receiver that never acknowledges gets every planned attempt in order, then the notifier gives up', async () => {
    const receiver = await startReceiver(ACKS);
    receiver.failures = Number.MAX_SAFE_INTEGER;
    const notifier = new Notifier(receiver.url, undefined, { timeScale: 0.00001 });
    try {
      const { order, refund } = (() => {
        const o = ctx.store.create({ provider: 'qfpay', state: 'paid', amount: 100 });
        return { order: o, refund: ctx.store.addRefund(o, 100, { refundKey: `${o.orderId}-RF1` }) };
      })();
      notifier.send(qfpayRefundNotification(order, refund, ctx));
      const delivery = await settled(
        () => notifier.list(),
        (d) => d.gaveUp,
      );
      const planned = [0, ...DOCUMENTED.qfpay.map((ms) => Math.round(ms * 0.00001))];
      expect(delivery.plannedDelaysMs).toEqual(planned);
      expect(delivery.attempts.map((a) => a.afterMs)).toEqual(planned);
      expect(delivery.attempts.map((a) => a.status)).toEqual(planned.map(() => 500));
      expect(delivery).toMatchObject({ acknowledged: false, gaveUp: true, event: 'refund', refundId: refund.refundId });
      expect(receiver.requests).toBe(8);
    } finally {
      notifier.reset();
      await receiver.close();
    }
  });

  it('a fixed list of waits (the sandbox option notifyRetryDelaysMs) replaces every provider schedule', () => {
    const order = ctx.store.create({ provider: 'wechatpay', state: 'paid', amount: 100 });
    const n = SIMULATORS.find((s) => s.id === 'wechatpay')!.paymentNotification(order, ctx);
    expect(new Notifier(undefined, [0, 50, 50]).plannedDelays(n)).toEqual([0, 50, 50]);
  });

  it('reset stops a delivery between attempts', async () => {
    const receiver = await startReceiver(ACKS);
    receiver.failures = 1;
    // Real time: WeChat's first retry would come 15 s later, long after the reset.
    const notifier = new Notifier(receiver.url, undefined, { timeScale: 1 });
    try {
      const order = ctx.store.create({ provider: 'wechatpay', state: 'paid', amount: 100 });
      notifier.send(SIMULATORS.find((s) => s.id === 'wechatpay')!.paymentNotification(order, ctx));
      await settled(
        () => notifier.list(),
        (d) => d.attempts.length === 1,
      );
      notifier.reset();
      expect(notifier.list()).toEqual([]);
      expect(receiver.requests).toBe(1);
    } finally {
      notifier.reset();
      await receiver.close();
    }
  });
});

describe('POST /_admin/orders/:provider/:orderId/refunds/:refundId/notify', () => {
  let sb: TestSandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(ACKS);
    sb = await startTestSandbox({ notifyUrl: receiver.url });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });
  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${sb.sandbox.url}/_admin${path}`, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const deliveries = async (orderId: string): Promise<Delivery[]> =>
    ((await sb.admin('GET', '/notifications')).deliveries as Delivery[]).filter((d) => d.orderId === orderId);

  it.each([
    ['qfpay', 'refund'],
    ['wechatpay', 'REFUND.SUCCESS'],
    ['pingpp', 'refund.succeeded'],
  ] as const)("%s: sends a settled refund's notification again, every time it is asked", async (provider, event) => {
    const order = await createSandboxOrder(sb, { provider, state: 'refunded', amount: 700 });
    const refundId = order.refunds[0]!.refundId;
    for (let i = 0; i < 2; i++)
      expect(await post(`/orders/${provider}/${order.orderId}/refunds/${refundId}/notify`)).toMatchObject({
        status: 200,
        body: { sent: true, refund: { refundId, status: 'succeeded' } },
      });
    for (;;) {
      const mine = await deliveries(order.orderId);
      if (mine.length === 2 && mine.every((d) => d.acknowledged)) {
        expect(mine.map((d) => ({ event: d.event, refundId: d.refundId }))).toEqual([
          { event, refundId },
          { event, refundId },
        ]);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('a refund still processing is not notified unless asked to settle it; settling moves no more money', async () => {
    const order = await createSandboxOrder(sb, { provider: 'wechatpay', state: 'paid', amount: 900 });
    const kept = sb.sandbox.ctx.store.findByOrderId('wechatpay', order.orderId)!;
    kept.refundProcessingQueries = 5;
    const refund = sb.sandbox.ctx.store.addRefund(kept, 900, { refundKey: `${order.orderId}-RF1` });
    const path = `/orders/wechatpay/${order.orderId}/refunds/${refund.refundId}/notify`;
    expect(await post(path)).toEqual({
      status: 409,
      body: { error: 'refund is processing: wechatpay sends no notification for it now' },
    });
    expect(await deliveries(order.orderId)).toEqual([]);
    expect(await post(path, { settle: true })).toMatchObject({
      status: 200,
      body: { sent: true, refund: { status: 'succeeded' } },
    });
    expect((await sandboxOrder(sb, 'wechatpay', order.orderId)).refunds).toMatchObject([
      { refundId: refund.refundId, status: 'succeeded' },
    ]);
    expect((await deliveries(order.orderId)).map((d) => d.event)).toEqual(['REFUND.SUCCESS']);
    const ledger = (await sb.admin('GET', '/ledger')).orders.find(
      (o: { orderId: string }) => o.orderId === order.orderId,
    );
    expect(ledger).toMatchObject({ paid: 900, returned: 900, refundCount: 1 });
  });

  it('PAYJS sends no refund notifications; unknown orders and refunds are 404; a bad body is 400', async () => {
    const payjs = await createSandboxOrder(sb, { provider: 'payjs', state: 'refunded', amount: 300 });
    expect(await post(`/orders/payjs/${payjs.orderId}/refunds/${payjs.refunds[0]!.refundId}/notify`)).toEqual({
      status: 409,
      body: { error: 'payjs sends no refund notifications' },
    });
    expect(await post('/orders/qfpay/NOPE/refunds/R1/notify')).toEqual({
      status: 404,
      body: { error: 'no such order' },
    });
    const qfpay = await createSandboxOrder(sb, { provider: 'qfpay', state: 'paid', amount: 300 });
    expect(await post(`/orders/qfpay/${qfpay.orderId}/refunds/R1/notify`)).toEqual({
      status: 404,
      body: { error: 'no such refund' },
    });
    expect(await post(`/orders/qfpay/${qfpay.orderId}/refunds/R1/notify`, { settle: 'yes' })).toMatchObject({
      status: 400,
    });
  });

  it('without a notify URL nothing can be sent', async () => {
    const bare = await startTestSandbox();
    try {
      const order = await createSandboxOrder(bare, { provider: 'qfpay', state: 'refunded', amount: 300 });
      const res = await fetch(
        `${bare.sandbox.url}/_admin/orders/qfpay/${order.orderId}/refunds/${order.refunds[0]!.refundId}/notify`,
        { method: 'POST' },
      );
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 409,
        body: { error: 'no notify URL configured' },
      });
    } finally {
      await bare.close();
    }
  });
});
