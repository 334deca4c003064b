/**
 * The late-payment race on the real stack (dev server, workers, HTTP API, sandbox over HTTP): the customer's payment
 * lands right after the provider accepted the run's close, and the provider's signed "paid" notification reaches
 * /notify/<provider> while that run is still open (it is signalled and the notice acknowledged), but the provider's
 * query lags: the run's confirming query still shows the order closed. The notice must not be lost: the run looks
 * again and refunds once the query shows the payment, or, if it never does, waits for an operator with a reason
 * that names the notice (docs/policy.md, "Late payments").
 */
import { cancellationWorkflowId, type ProviderId } from '../../domain/index.js';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { RescindClient, type CancellationView } from '../../client/library.js';
import { loadConfig } from '../../worker/config.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually } from './support.js';

let stack: Stack;
let api: ApiServer;
let rescind: RescindClient;

beforeAll(async () => {
  stack = await startStack();
  const config = {
    ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: 'race-test' }),
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

/** Pay types whose cancellation is a close: WeChat's query shows the closure, PAYJS's check does not. */
const PAY_TYPES = { wechatpay: 'NATIVE', payjs: 'native' } as const;
type CloseProvider = keyof typeof PAY_TYPES;

/** An unpaid order armed to be paid right after its close, with `queryLag` queries not showing it; its run started. */
async function raceOrder(provider: CloseProvider, amount: number, queryLag: number) {
  const order: SandboxOrderView = await stack.order({
    provider,
    state: 'unpaid',
    amount,
    payType: PAY_TYPES[provider],
  });
  const armed = await stack.sandbox.admin('POST', `/orders/${provider}/${order.orderId}/pay-after-close`, { queryLag });
  expect(armed).toMatchObject({ armed: { queryLag } });
  const { merchantId, orderId, providerOrderId, currency, payType, createdAt } = order;
  const { workflowId } = await rescind.start({
    order: { provider, merchantId, orderId, providerOrderId, amount, currency, payType, createdAt },
    reason: 'payment timeout',
    requestedBy: 'checkout',
    cadence: FAST,
  });
  expect(workflowId).toBe(cancellationWorkflowId(provider, merchantId, orderId));
  return { order, workflowId };
}

/** The sandbox's one payment notification for the order (refund notices aside) was acknowledged by Rescind's receiver. */
async function noticeAcknowledged(provider: ProviderId, orderId: string): Promise<void> {
  const { deliveries } = await stack.sandbox.admin('GET', '/notifications');
  const ours = (deliveries as { provider: string; orderId: string; refundId?: string; acknowledged: boolean }[]).filter(
    (d) => d.provider === provider && d.orderId === orderId && d.refundId === undefined,
  );
  expect(ours).toHaveLength(1);
  expect(ours[0]!.acknowledged).toBe(true);
}

/** How many runs the workflow id has had, from visibility, read once the latest run is listed. */
async function runCount(workflowId: string): Promise<number> {
  const latest = (await stack.env.client.workflow.getHandle(workflowId).describe()).runId;
  return eventually(async () => {
    const runIds: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
      runIds.push(wf.runId);
    return runIds.includes(latest) ? runIds.length : undefined;
  });
}

describe.each(Object.keys(PAY_TYPES) as CloseProvider[])(
  '%s: a paid notice reaches the run that is closing',
  (provider) => {
    it('the confirming query misses the payment: the run looks again and refunds it, in the same run', async () => {
      const { order, workflowId } = await raceOrder(provider, 2468, 1);
      const outcome = await rescind.waitForOutcome({ workflowId });
      expect(outcome).toMatchObject({ kind: 'refunded', amount: 2468 });
      await noticeAcknowledged(provider, order.orderId);
      expect(await runCount(workflowId)).toBe(1);
      const summary = await stack.ledgerFor(order.orderId);
      expect(summary).toMatchObject({ paid: 2468, returned: 2468, refundCount: 1, overReturned: false });
    });

    it('the query never shows the payment: the run waits for an operator, naming the notice', async () => {
      const { order, workflowId } = await raceOrder(provider, 1357, 1_000);
      const view: CancellationView = await eventually(async () => {
        const v = await rescind.get({ workflowId });
        return v?.stage === 'needs_review' || v?.outcome ? v : undefined;
      });
      expect(view.outcome).toBeUndefined();
      expect(view.stage).toBe('needs_review');
      expect(view.review?.reason).toMatch(/"paid" notification/);
      await noticeAcknowledged(provider, order.orderId);
      const summary = await stack.ledgerFor(order.orderId);
      expect(summary).toMatchObject({ paid: 1357, returned: 0, overReturned: false });
    });
  },
);
