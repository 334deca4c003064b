/**
 * The provider notification receivers on the real stack. For each provider: forged and tampered
 * notifications are refused and wake nothing; the sandbox's own signed notification, sent when the
 * customer pays, is acknowledged the way the provider expects and wakes the waiting workflow,
 * which then finds the order paid and refunds it.
 */
import { cancellationWorkflowId, type ProviderId } from '../../domain/index.js';
import { providerDescriptor } from '../../activities/providers/index.js';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { RescindClient, type CancellationView } from '../../client/library.js';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import type { SandboxContext } from '../../sandbox/simulator.js';
import { loadConfig, type Config } from '../../worker/config.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually, http, workflowExists } from './support.js';
import { forgerPrivateKeyPem } from '../helpers/forger-key.js';

let stack: Stack;
let api: ApiServer;
let config: Config;
let rescind: RescindClient;

beforeAll(async () => {
  stack = await startStack();
  // The API token is irrelevant to the receivers: providers cannot send one.
  config = {
    ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: 'api-token-not-used-by-providers' }),
    taskQueue: stack.taskQueue,
  };
  api = await startApiServer({ config, client: stack.env.client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  rescind = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
  await stack.sandbox.admin('PUT', '/notify-url', { url: `${api.url}/notify/{provider}` });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const PAY_TYPES: Record<ProviderId, string> = {
  payjs: 'native',
  qfpay: '800208',
  wechatpay: 'NATIVE',
  pingpp: 'alipay_qr',
};
/** What each provider reads as "received": the receiver must answer exactly this. */
const ACKS: Record<ProviderId, { status: number; body: string }> = {
  payjs: { status: 200, body: 'success' },
  qfpay: { status: 200, body: 'SUCCESS' },
  wechatpay: { status: 204, body: '' },
  pingpp: { status: 200, body: 'ok' },
};

/** The sandbox's notification for an order, built by its simulator; with `ctx` overridden to forge it. */
function notificationFor(order: SandboxOrderView, ctx: SandboxContext = stack.sandbox.sandbox.ctx) {
  const simulator = SIMULATORS.find((s) => s.id === order.provider)!;
  const stored = stack.sandbox.sandbox.ctx.store.findByOrderId(order.provider, order.orderId)!;
  return simulator.paymentNotification(stored, ctx);
}

/** A forger's context: the same protocol, but not the real keys. */
function forgerContext(): SandboxContext {
  const ctx = stack.sandbox.sandbox.ctx;
  const privateKey = forgerPrivateKeyPem();
  const c = ctx.credentials;
  return {
    ...ctx,
    credentials: {
      payjs: { ...c.payjs, key: 'forged-payjs-key' },
      qfpay: { ...c.qfpay, clientKey: 'FORGED0000000000000000000000000' },
      wechatpay: { ...c.wechatpay, platformPrivateKeyPem: privateKey },
      pingpp: { ...c.pingpp, platformPrivateKeyPem: privateKey },
    },
  };
}

/** How each provider's notification is changed after signing (as a man in the middle would) and stripped of its signature. */
interface Forgery {
  tamper(body: string): string;
  unsign(notification: { body: string }): { headers: Record<string, string>; body: string };
}
const json = { 'content-type': 'application/json' };
const jsonForgery: Forgery = {
  tamper: (body) => body.replace('{', '{ '),
  unsign: ({ body }) => ({ headers: json, body }),
};
const FORGERIES: Record<ProviderId, Forgery> = {
  payjs: {
    tamper: (body) => `${body}&attach=tampered`,
    unsign: ({ body }) => ({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.replace(/(^|&)sign=[^&]*/, ''),
    }),
  },
  // QFPay signs in a header, WeChat Pay and Ping++ too: the body alone carries no signature.
  qfpay: jsonForgery,
  wechatpay: jsonForgery,
  pingpp: jsonForgery,
};

const notificationsReceived = (view: CancellationView | undefined) =>
  (view?.calls ?? []).filter((c) => c.result.startsWith('notification received')).length;

describe.each(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const)('%s notifications', (provider) => {
  let order: SandboxOrderView;
  let workflowId: string;

  beforeAll(async () => {
    order = await stack.order({ provider, state: 'unpaid', amount: 1234, payType: PAY_TYPES[provider] });
    workflowId = cancellationWorkflowId(provider, order.merchantId, order.orderId);
    // The first query fails, and the run then waits an hour: only a notification can wake it within the test.
    await stack.fault({ provider, call: 'query', kind: 'http_500', count: 1 });
    await rescind.start({
      order: {
        provider,
        merchantId: order.merchantId,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        amount: order.amount,
        currency: order.currency,
        payType: order.payType,
        createdAt: order.createdAt,
      },
      cadence: { ...FAST, unknownRetryDelayMs: 3_600_000, unknownRetryMaxDelayMs: 3_600_000 },
    });
    await eventually(async () => ((await rescind.get({ workflowId }))?.stage === 'waiting' ? true : undefined));
  });

  it('refuses a notification signed with the wrong key, a tampered one and an unsigned one, waking nothing', async () => {
    const forged = notificationFor(order, forgerContext());
    const genuine = notificationFor(order);
    const unsigned = FORGERIES[provider].unsign(genuine);
    const refusal = providerDescriptor(provider).notifications.refuse(401, 'signature verification failed');
    for (const attempt of [
      forged,
      { headers: genuine.headers, body: FORGERIES[provider].tamper(genuine.body) },
      unsigned,
    ]) {
      const res = await http('POST', `${api.url}/notify/${provider}`, { headers: attempt.headers, body: attempt.body });
      expect(res.status).toBe(401);
      expect(res.status === ACKS[provider].status && res.text === ACKS[provider].body).toBe(false);
      // Each provider's own refusal body (WeChat Pay: {"code":"FAIL","message":...}).
      expect(res.text).toBe(refusal.body);
    }
    const view = await rescind.get({ workflowId });
    expect(view?.stage).toBe('waiting');
    expect(notificationsReceived(view)).toBe(0);
  });

  it("accepts the sandbox's signed notification with the provider's ack, and it wakes the workflow", async () => {
    const paid = await stack.sandbox.admin('POST', `/orders/${provider}/${order.orderId}/pay`);
    expect(paid.notification).toBe('sent');
    const outcome = await rescind.waitForOutcome({ workflowId });
    expect(outcome).toMatchObject({ kind: 'refunded', amount: 1234 });
    const view = await rescind.get({ workflowId });
    // The refund's own notification may follow while the run confirms the refund: count the payment's.
    expect(view!.calls.filter((c) => c.result === 'notification received: paid')).toHaveLength(1);
    expect(view!.calls.find((c) => c.result.startsWith('notification received'))!.result).toBe(
      'notification received: paid',
    );

    const delivery = await eventually(async () => {
      const { deliveries } = await stack.sandbox.admin('GET', '/notifications');
      return (deliveries as { orderId: string; acknowledged: boolean; attempts: { status?: number }[] }[]).find(
        (d) => d.orderId === order.orderId && d.acknowledged,
      );
    });
    expect(delivery.attempts[0]!.status).toBe(ACKS[provider].status);
  });

  it('answers the exact ack bytes', async () => {
    // Re-sending the genuine notification after the run finished: still acknowledged (nothing to wake).
    const genuine = notificationFor(order);
    const res = await http('POST', `${api.url}/notify/${provider}`, { headers: genuine.headers, body: genuine.body });
    expect({ status: res.status, body: res.text }).toEqual(ACKS[provider]);
  });

  it('acknowledges a verified notification for an order with no cancellation, starting nothing', async () => {
    const other = await stack.order({ provider, state: 'unpaid', amount: 55, payType: PAY_TYPES[provider] });
    await stack.sandbox.admin('POST', `/orders/${provider}/${other.orderId}/pay`);
    await eventually(async () => {
      const { deliveries } = await stack.sandbox.admin('GET', '/notifications');
      return (deliveries as { orderId: string; acknowledged: boolean }[]).find(
        (d) => d.orderId === other.orderId && d.acknowledged,
      );
    });
    expect(
      await workflowExists(stack.env.client, cancellationWorkflowId(provider, other.merchantId, other.orderId)),
    ).toBe(false);
  });
});

describe('receivers without configuration', () => {
  it('answers 503 for a provider that is not configured (its notifications cannot be verified), so the provider retries', async () => {
    const bare = await startApiServer({
      config: { ...config, providers: {} },
      client: stack.env.client,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
    });
    try {
      const res = await http('POST', `${bare.url}/notify/qfpay`, {
        headers: { 'content-type': 'application/json' },
        body: '{"notify_type":"payment"}',
      });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'not_configured' });
    } finally {
      await bare.close();
    }
  });
});
