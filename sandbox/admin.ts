/**
 * The sandbox admin API (under /_admin): create orders in any state, read them, pay them (also late,
 * after a close or reverse was accepted, or armed to pay right after the next one), send payment and
 * refund notifications again, inject faults, read the money ledger and the notifications sent, and reset.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../domain/index.js';
import { FAULT_KINDS, SANDBOX_CALLS } from './faults.js';
import { notifyPingppRefund } from './providers/pingpp/refunds.js';
import { notifyQfpayRefund } from './providers/qfpay/refunds.js';
import { notifyWechatpayRefund } from './providers/wechatpay/refunds.js';
import { registerPayAfterClose } from './pay-after-close-admin.js';
import { registerSettingsAdmin } from './settings-admin.js';
import type { ProviderSimulator, SandboxContext } from './simulator.js';
import { ORDER_STATES, type SandboxOrder, type SandboxRefund } from './store.js';

const NewOrderBody = z.object({
  provider: z.enum(PROVIDER_IDS),
  state: z.enum(ORDER_STATES).default('unpaid'),
  amount: z.number().int().positive(),
  merchantId: z.string().min(1).optional(),
  orderId: z.string().min(1).max(32).optional(),
  currency: z.string().min(3).max(3).optional(),
  payType: z.string().min(1).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  /** For state "paying": how many queries answer paying before the order settles. */
  payingQueries: z.number().int().min(0).optional(),
  thenState: z.enum(['paid', 'unpaid']).optional(),
  refundProcessingQueries: z.number().int().min(0).optional(),
});

const LatePaymentBody = z.object({ notify: z.boolean().default(true) }).strict();

const RefundNoticeBody = z.object({ settle: z.boolean().default(false) }).strict();

/** Who sends a refund notification, and how (each returns false while the refund has not settled). PAYJS sends none. */
type RefundNotifier = (ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund) => boolean;
const REFUND_NOTIFIERS: Partial<Record<ProviderId, RefundNotifier>> = {
  qfpay: notifyQfpayRefund,
  wechatpay: notifyWechatpayRefund,
  pingpp: notifyPingppRefund,
};

const FaultBody = z.object({
  provider: z.enum(PROVIDER_IDS),
  call: z.enum(SANDBOX_CALLS),
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().positive().default(1),
  codes: z.array(z.string().min(1)).optional(),
  holdMs: z.number().int().positive().max(120_000).optional(),
});

export function registerAdmin(
  app: FastifyInstance,
  ctx: SandboxContext,
  simulators: Map<ProviderId, ProviderSimulator>,
): void {
  const view = (order: SandboxOrder): Record<string, unknown> => {
    const sim = simulators.get(order.provider);
    return {
      provider: order.provider,
      merchantId: order.merchantId,
      orderId: order.orderId,
      providerOrderId: order.providerOrderId,
      amount: order.amount,
      currency: order.currency,
      payType: order.payType,
      state: order.state,
      createdAt: order.createdAt.toISOString(),
      paidAt: order.paidAt?.toISOString(),
      refunded: ctx.store.refunded(order),
      reversedAfterPayment: order.reversedAfterPayment,
      refunds: order.refunds.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
      providerFields: sim?.describe(order) ?? {},
    };
  };
  const badRequest = (issues: z.core.$ZodIssue[]) => ({
    error: 'invalid_request',
    fields: issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  });

  app.post('/_admin/orders', async (req, reply) => {
    const parsed = NewOrderBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const { createdAt, ...rest } = parsed.data;
    if (!simulators.has(rest.provider))
      return reply.code(400).send({ error: `provider ${rest.provider} is not simulated` });
    try {
      const order = ctx.store.create({ ...rest, createdAt: createdAt ? new Date(createdAt) : undefined });
      return reply.code(201).send(view(order));
    } catch (err) {
      return reply.code(409).send({ error: (err as Error).message });
    }
  });

  app.get('/_admin/orders', async (req) => {
    const provider = (req.query as { provider?: ProviderId }).provider;
    return { orders: ctx.store.list(provider).map(view) };
  });

  const findOrder = (params: unknown): SandboxOrder | undefined => {
    const { provider, orderId } = params as { provider: ProviderId; orderId: string };
    return ctx.store.findByOrderId(provider, orderId);
  };

  app.get('/_admin/orders/:provider/:orderId', async (req, reply) => {
    const order = findOrder(req.params);
    return order ? view(order) : reply.code(404).send({ error: 'no such order' });
  });

  /** The customer pays now; the provider's signed notification goes to the configured URL. */
  app.post('/_admin/orders/:provider/:orderId/pay', async (req, reply) => {
    const order = findOrder(req.params);
    if (!order) return reply.code(404).send({ error: 'no such order' });
    if (!ctx.store.pay(order)) return reply.code(409).send({ error: `order is ${order.state}, cannot be paid` });
    const sim = simulators.get(order.provider)!;
    const delivery = ctx.notifier.send(sim.paymentNotification(order, ctx));
    return { order: view(order), notification: delivery ? 'sent' : 'no notify URL configured' };
  });

  /**
   * A payment lands after the order was closed or reversed (store.payAfterClose), and the provider's signed payment
   * notification goes to the configured URL, as for /pay. `{"notify": false}` only moves the money, for a caller
   * that delivers the notification itself.
   */
  app.post('/_admin/orders/:provider/:orderId/late-payment', async (req, reply) => {
    const parsed = LatePaymentBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const order = findOrder(req.params);
    if (!order) return reply.code(404).send({ error: 'no such order' });
    if (!ctx.store.payAfterClose(order)) {
      const was = `order is ${order.state}${order.paidAt ? ' and was paid' : ''}`;
      return reply.code(409).send({ error: `${was}: only an order that ended unpaid can be paid late` });
    }
    if (!parsed.data.notify) return { order: view(order), notification: 'not sent' };
    const delivery = ctx.notifier.send(simulators.get(order.provider)!.paymentNotification(order, ctx));
    return { order: view(order), notification: delivery ? 'sent' : 'no notify URL configured' };
  });

  registerPayAfterClose(app, ctx, simulators, { badRequest, view, findOrder });

  /** Send (again) the signed payment notification for a paid order. */
  app.post('/_admin/orders/:provider/:orderId/notify', async (req, reply) => {
    const order = findOrder(req.params);
    if (!order) return reply.code(404).send({ error: 'no such order' });
    const sim = simulators.get(order.provider)!;
    const notification = sim.paymentNotification(order, ctx);
    const delivery = ctx.notifier.send(notification);
    return delivery ? { sent: true } : reply.code(409).send({ error: 'no notify URL configured' });
  });

  /**
   * Send (again) the signed notification of a settled refund (QFPay notify_type refund, WeChat REFUND.*, Ping++
   * refund.succeeded). `{"settle": true}` first lets a refund still processing succeed, as the provider finishing it.
   */
  app.post('/_admin/orders/:provider/:orderId/refunds/:refundId/notify', async (req, reply) => {
    const parsed = RefundNoticeBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const order = findOrder(req.params);
    const refund = order?.refunds.find((r) => r.refundId === (req.params as { refundId: string }).refundId);
    if (!order || !refund) return reply.code(404).send({ error: order ? 'no such refund' : 'no such order' });
    const notify = REFUND_NOTIFIERS[order.provider];
    if (!notify) return reply.code(409).send({ error: `${order.provider} sends no refund notifications` });
    if (!ctx.notifier.url) return reply.code(409).send({ error: 'no notify URL configured' });
    if (parsed.data.settle && refund.status === 'processing') {
      refund.status = 'succeeded';
      refund.succeededAt = new Date();
    }
    if (!notify(ctx, order, refund)) {
      const error = `refund is ${refund.status}: ${order.provider} sends no notification for it now`;
      return reply.code(409).send({ error });
    }
    return { sent: true, refund: { ...refund, createdAt: refund.createdAt.toISOString() } };
  });

  app.post('/_admin/faults', async (req, reply) => {
    const parsed = FaultBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    return reply.code(201).send(ctx.faults.add(parsed.data));
  });
  app.get('/_admin/faults', async () => ({ faults: ctx.faults.list() }));
  app.delete('/_admin/faults', async () => {
    ctx.faults.clear();
    return { cleared: true };
  });

  app.get('/_admin/ledger', async () => {
    const orders = ctx.store.ledgerSummary();
    return { entries: ctx.store.ledgerEntries(), orders, overReturned: orders.filter((o) => o.overReturned) };
  });

  registerSettingsAdmin(app, badRequest);

  app.get('/_admin/requests', async () => ctx.requests.list());
  app.delete('/_admin/requests', async () => {
    ctx.requests.clear();
    return { cleared: true };
  });

  app.get('/_admin/notifications', async () => ({ deliveries: ctx.notifier.list() }));

  app.put('/_admin/notify-url', async (req, reply) => {
    const parsed = z.object({ url: z.string().url().nullable() }).safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    ctx.notifier.url = parsed.data.url ?? undefined;
    return { url: ctx.notifier.url ?? null };
  });

  app.get('/_admin/credentials', async () => ({
    note: 'Sandbox test credentials. Never use them with a real provider.',
    payjs: ctx.credentials.payjs,
    qfpay: ctx.credentials.qfpay,
    wechatpay: { ...ctx.credentials.wechatpay, platformPrivateKeyPem: undefined },
    pingpp: { ...ctx.credentials.pingpp, platformPrivateKeyPem: undefined },
  }));

  app.post('/_admin/reset', async () => {
    ctx.store.reset();
    ctx.faults.clear();
    ctx.notifier.reset();
    ctx.requests.clear();
    return { reset: true };
  });
}
