/**
 * `POST /_admin/orders/:provider/:orderId/pay-after-close`: the wallet race on demand, for an order a run is about
 * to close. The next close or reverse the provider accepts is followed at once by the customer's payment; its signed
 * notification is delivered and acknowledged before the close's own answer goes out, so it reaches the run that is
 * closing. With `queryLag` the next that many queries still show the order closed: the provider's query lagging its
 * notification (store.observe).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ProviderId } from '../domain/index.js';
import type { Delivery } from './notifier.js';
import type { ProviderSimulator, SandboxContext } from './simulator.js';
import type { SandboxOrder } from './store.js';

const PayAfterCloseBody = z.object({ queryLag: z.number().int().min(0).max(1_000).default(0) }).strict();

interface AdminTools {
  badRequest: (issues: z.core.$ZodIssue[]) => unknown;
  view: (order: SandboxOrder) => Record<string, unknown>;
  findOrder: (params: unknown) => SandboxOrder | undefined;
}

export function registerPayAfterClose(
  app: FastifyInstance,
  ctx: SandboxContext,
  simulators: Map<ProviderId, ProviderSimulator>,
  { badRequest, view, findOrder }: AdminTools,
): void {
  app.post('/_admin/orders/:provider/:orderId/pay-after-close', async (req, reply: FastifyReply) => {
    const parsed = PayAfterCloseBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error.issues));
    const order = findOrder(req.params);
    if (!order) return reply.code(404).send({ error: 'no such order' });
    if (order.state !== 'unpaid' && order.state !== 'paying')
      return reply
        .code(409)
        .send({ error: `order is ${order.state}: only an unpaid order can be paid after its close` });
    if (!ctx.notifier.url) return reply.code(409).send({ error: 'no notify URL configured' });
    const { queryLag } = parsed.data;
    ctx.store.armPaymentAfterClose(order, queryLag, (paid) => {
      const delivery = ctx.notifier.send(simulators.get(paid.provider)!.paymentNotification(paid, ctx));
      if (delivery) ctx.faults.holdAnswer(settled(delivery));
    });
    return { order: view(order), armed: { queryLag } };
  });
}

/** Once the receiver acknowledged the delivery, or the notifier gave up on it (deliveries are plain state: polled). */
async function settled(delivery: Delivery): Promise<void> {
  while (!delivery.acknowledged && !delivery.gaveUp) await new Promise((resolve) => setTimeout(resolve, 20));
}
