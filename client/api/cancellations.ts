/**
 * The /v1 routes for callers in other languages: start a cancellation (idempotent per order),
 * read it, and resolve a review. Every bad input is a 400 listing the fields to fix.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { cancellationWorkflowId, type OrderRef } from '../../domain/index.js';
import type { ServiceConfig } from '../config.js';
import { CancellationNotFoundError, getCancellation, resolveReview, ReviewRejectedError, startCancellation } from '../library.js';
import { fieldErrors, ID_PATTERN, parseCancellationRequest, ProviderSchema, RequestError, type FieldError } from '../request.js';

/** Where a started cancellation can be read. */
export const statusPath = (order: Pick<OrderRef, 'provider' | 'merchantId' | 'orderId'>): string =>
  `/v1/cancellations/${order.provider}/${encodeURIComponent(order.merchantId)}/${encodeURIComponent(order.orderId)}`;

const OrderParams = z.object({
  provider: ProviderSchema,
  merchant: z.string().regex(ID_PATTERN, 'merchant must be 1–64 letters, digits or _ - * | @ .'),
  order: z.string().regex(ID_PATTERN, 'order must be 1–64 letters, digits or _ - * | @ .'),
});

export const invalid = (reply: FastifyReply, fields: FieldError[]) =>
  reply.code(400).send({ error: 'invalid_request', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields });

export function registerCancellationRoutes(v1: FastifyInstance, deps: { config: ServiceConfig; client: Client }): void {
  const { client, config } = deps;

  const params = (raw: unknown, reply: FastifyReply): z.infer<typeof OrderParams> | undefined => {
    const parsed = OrderParams.safeParse(raw);
    if (parsed.success) return parsed.data;
    void invalid(reply, fieldErrors(parsed.error.issues));
    return undefined;
  };

  v1.post('/v1/cancellations', async (req, reply) => {
    let request;
    try {
      request = parseCancellationRequest(req.body);
    } catch (err) {
      if (err instanceof RequestError) return invalid(reply, err.fields);
      throw err;
    }
    const started = await startCancellation(client, { taskQueue: config.taskQueue }, request);
    const statusUrl = statusPath(request.order);
    req.log.info({ workflowId: started.workflowId, started: started.started }, 'cancellation requested');
    return reply.code(202).header('location', statusUrl).send({ ...started, statusUrl });
  });

  v1.get('/v1/cancellations/:provider/:merchant/:order', async (req, reply) => {
    const p = params(req.params, reply);
    if (!p) return reply;
    const view = await getCancellation(client, p.provider, p.merchant, p.order);
    if (!view) return reply.code(404).send({ error: 'not_found', message: `no cancellation for ${p.provider} merchant ${p.merchant} order ${p.order}` });
    return view;
  });

  v1.post('/v1/cancellations/:provider/:merchant/:order/resolve', async (req, reply) => {
    const p = params(req.params, reply);
    if (!p) return reply;
    const workflowId = cancellationWorkflowId(p.provider, p.merchant, p.order);
    try {
      const state = await resolveReview(client, workflowId, req.body);
      return { workflowId, stage: state.stage, details: state.details, outcome: state.outcome };
    } catch (err) {
      if (err instanceof RequestError) return invalid(reply, err.fields);
      if (err instanceof CancellationNotFoundError) return reply.code(404).send({ error: 'not_found', message: `no cancellation for ${p.provider} merchant ${p.merchant} order ${p.order}` });
      if (err instanceof ReviewRejectedError) return reply.code(409).send({ error: 'not_in_review', message: err.message });
      throw err;
    }
  });
}
