/**
 * The /v1 routes for callers in other languages: start a cancellation (idempotent per order),
 * read it, and resolve a review. Every bad input is a 400 listing the fields to fix.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { configuredMerchant, providerDescriptor } from '../../activities/providers/index.js';
import { cancellationWorkflowId, type OrderRef } from '../../domain/index.js';
import type { ServiceConfig } from '../config.js';
import {
  CancellationConflictError,
  CancellationNotFoundError,
  getCancellation,
  resolveReview,
  ReviewRejectedError,
  startCancellation,
} from '../library.js';
import {
  capFields,
  fieldErrors,
  idSchema,
  parseCancellationRequest,
  ProviderSchema,
  RequestError,
  type FieldError,
} from '../request.js';

/** Where a started cancellation can be read. */
export const statusPath = (order: Pick<OrderRef, 'provider' | 'merchantId' | 'orderId'>): string =>
  `/v1/cancellations/${order.provider}/${encodeURIComponent(order.merchantId)}/${encodeURIComponent(order.orderId)}`;

const OrderParams = z.object({ provider: ProviderSchema, merchant: idSchema('merchant'), order: idSchema('order') });

/** 400 listing what to fix (at most MAX_LISTED_FIELDS of it). */
export const invalid = (reply: FastifyReply, fields: FieldError[]) => {
  const listed = capFields(fields);
  return reply.code(400).send({
    error: 'invalid_request',
    message: listed.map((f) => `${f.field}: ${f.message}`).join('; '),
    fields: listed,
  });
};

/**
 * A provider configured for one merchant (PAYJS_MCHID, QFPAY_MCHID, PINGPP_APP_ID) cannot cancel
 * another's orders: refuse now rather than start a run that can only end in review.
 */
function merchantProblem(config: ServiceConfig, order: OrderRef): FieldError | undefined {
  const configured = configuredMerchant(config.providers, order.provider);
  if (configured === undefined || configured === order.merchantId) return undefined;
  const variable = providerDescriptor(order.provider).env.merchantVariable;
  return {
    field: 'order.merchantId',
    message: `${order.provider} is configured for merchant ${configured}${variable ? ` (${variable})` : ''}, not ${order.merchantId}`,
  };
}

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
    const wrongMerchant = merchantProblem(config, request.order);
    if (wrongMerchant) return invalid(reply, [wrongMerchant]);
    let started;
    try {
      started = await startCancellation(client, { taskQueue: config.taskQueue }, request);
    } catch (err) {
      if (!(err instanceof CancellationConflictError)) throw err;
      return reply.code(409).send({
        error: 'order_conflict',
        message: err.message,
        fields: err.fields,
        workflowId: err.workflowId,
        running: err.running,
      });
    }
    const statusUrl = statusPath(request.order);
    req.log.info({ workflowId: started.workflowId, started: started.started }, 'cancellation requested');
    return reply
      .code(202)
      .header('location', statusUrl)
      .send({ ...started, statusUrl });
  });

  v1.get('/v1/cancellations/:provider/:merchant/:order', async (req, reply) => {
    const p = params(req.params, reply);
    if (!p) return reply;
    const view = await getCancellation(client, p.provider, p.merchant, p.order);
    if (!view)
      return reply.code(404).send({
        error: 'not_found',
        message: `no cancellation for ${p.provider} merchant ${p.merchant} order ${p.order}`,
      });
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
      if (err instanceof CancellationNotFoundError)
        return reply.code(404).send({
          error: 'not_found',
          message: `no cancellation for ${p.provider} merchant ${p.merchant} order ${p.order}`,
        });
      if (err instanceof ReviewRejectedError)
        return reply.code(409).send({ error: 'not_in_review', message: err.message });
      throw err;
    }
  });
}
