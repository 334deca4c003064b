/**
 * The Ping++ charge routes (docs/providers/pingpp.md §4), registered under /pingpp and, for the official SDK whose
 * base path is fixed to /v1/, at the root as well (sandbox/server.ts). Every call goes through
 * answer() so all fault kinds apply; state lives in the shared store, money in its ledger.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { refuseRequest } from './auth.js';
import { notifyPingppRefund, observePingppRefund } from './refunds.js';
import { channelBusy, failure, ok, rateLimited, serverError, signer } from './replies.js';
import { refundParamError, refundRefusal, reverseRefusal, type RefundAsk } from './rules.js';
import { pingppSandboxSettings as settings } from './settings.js';
import { chargeView, expiresAt, newId, refundList, refundsNewestFirst, refundView } from './views.js';

type Params = { id: string; re?: string };
type Act = (req: FastifyRequest, order: SandboxOrder) => SimReply;

export function registerPingppRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { apiKey, merchantPublicKeyPem, platformPrivateKeyPem } = ctx.credentials.pingpp;
  const livemode = apiKey.startsWith('sk_live_');
  const sign = signer(platformPrivateKeyPem);
  const charge = (order: SandboxOrder): SimReply => ok(chargeView(order, livemode));

  const route = (
    method: 'GET' | 'POST',
    url: string,
    call: SandboxCall,
    act: Act,
    busy: (req: FastifyRequest, order: SandboxOrder, code?: string) => SimReply,
  ): void => {
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        const { id } = req.params as Params;
        const order = ctx.store.findByProviderOrderId('pingpp', id);
        const noSuchCharge = (): SimReply =>
          failure(404, 'invalid_request_error', `No such charge: ${id}`, { param: 'id' });
        await answer(reply, ctx.faults, {
          provider: 'pingpp',
          call,
          sign,
          rateLimited,
          serverError,
          inProgress: (code) => (order ? busy(req, order, code) : noSuchCharge()),
          handle: () => refuseRequest(req, apiKey, merchantPublicKeyPem) ?? (order ? act(req, order) : noSuchCharge()),
        });
      },
    });
  };

  /** A query moves time along: a paying countdown runs, an unpaid charge past time_expire expires. */
  const observe = (order: SandboxOrder): SandboxOrder => {
    ctx.store.observe(order);
    const expired = settings.now().getTime() > expiresAt(order).getTime();
    if (order.state === 'unpaid' && expired) ctx.store.close(order, 'expired');
    return order;
  };

  route(
    'GET',
    '/v1/charges/:id',
    'query',
    (_req, order) => charge(observe(order)),
    (_req, _order, code) => channelBusy(code),
  );

  // §4.2: idempotent on an already reversed charge [INF]; nothing else changes on a refusal.
  route(
    'POST',
    '/v1/charges/:id/reverse',
    'reverse',
    (_req, order) => {
      observe(order);
      if (order.state === 'reversed') return charge(order);
      const why = reverseRefusal(order, settings.now(), settings.reverseRevision);
      if (why) return failure(400, 'invalid_request_error', why);
      ctx.store.reverse(order);
      return charge(order);
    },
    // The channel has not confirmed the reversal yet: the charge comes back unchanged.
    (_req, order, code) => (code ? channelBusy(code) : charge(order)),
  );

  // §4.3 and §7: every accepted POST is a new refund — Ping++ has no idempotency.
  route(
    'POST',
    '/v1/charges/:id/refunds',
    'refund',
    (req, order) => {
      const ask = parseObject(req.body);
      if (!ask) return failure(400, 'invalid_request_error', 'request body must be a JSON object');
      const bad = refundParamError(ask);
      if (bad) return failure(400, 'invalid_request_error', bad.message, { param: bad.param });
      const refundable = ctx.store.refundable(order);
      const refused = refundRefusal(order, refundable);
      if (refused) return failure(400, 'invalid_request_error', refused);
      const amount = (ask.amount as number | undefined) ?? refundable;
      if (amount > refundable)
        return failure(
          400,
          'invalid_request_error',
          `refund amount ${amount} exceeds the refundable amount ${refundable}`,
          { param: 'amount' },
        );
      const metadata = (ask.metadata ?? {}) as Record<string, unknown>;
      const extra = {
        description: ask.description,
        metadata,
        ...(ask.funding_source ? { funding_source: ask.funding_source } : {}),
      };
      const refundKey = typeof metadata.refund_key === 'string' ? metadata.refund_key : undefined;
      if (settings.refundFailure) {
        // Refused by the channel: recorded on the charge, no money moves (so not through the ledger).
        const failed = {
          refundId: newId('re_'),
          refundKey,
          amount,
          status: 'failed' as const,
          createdAt: new Date(),
          extra: { ...extra, failure: settings.refundFailure },
        };
        order.refunds.push(failed);
        return ok(refundView(order, failed));
      }
      const refund = ctx.store.addRefund(order, amount, { refundKey, extra });
      notifyPingppRefund(ctx, order, refund);
      return ok(refundView(order, refund));
    },
    (_req, _order, code) => channelBusy(code),
  );

  route(
    'GET',
    '/v1/charges/:id/refunds',
    'queryRefund',
    (req, order) => {
      for (const r of order.refunds) observePingppRefund(ctx, order, r);
      return listPage(req, order);
    },
    (req, order) => listPage(req, order),
  );

  route(
    'GET',
    '/v1/charges/:id/refunds/:re',
    'queryRefund',
    (req, order) => {
      const refund = order.refunds.find((r) => r.refundId === (req.params as Params).re);
      if (!refund)
        return failure(404, 'invalid_request_error', `No such refund: ${(req.params as Params).re}`, { param: 'id' });
      return ok(refundView(order, observePingppRefund(ctx, order, refund)));
    },
    (req, order) => {
      const refund = order.refunds.find((r) => r.refundId === (req.params as Params).re);
      return refund
        ? ok(refundView(order, refund))
        : failure(404, 'invalid_request_error', `No such refund: ${(req.params as Params).re}`, { param: 'id' });
    },
  );
}

/** GET …/refunds with limit (1–100, default 10), starting_after and ending_before (§4.4). */
function listPage(req: FastifyRequest, order: SandboxOrder): SimReply {
  const q = req.query as Record<string, string | undefined>;
  const limit = q.limit === undefined ? 10 : /^\d{1,3}$/.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= 100))
    return failure(400, 'invalid_request_error', 'limit must be an integer from 1 to 100', { param: 'limit' });
  const all = refundsNewestFirst(order);
  const indexOf = (name: 'starting_after' | 'ending_before'): number | undefined => {
    const id = q[name];
    return id === undefined ? undefined : all.findIndex((r) => r.refundId === id);
  };
  const after = indexOf('starting_after');
  const before = indexOf('ending_before');
  if (after === -1)
    return failure(400, 'invalid_request_error', `No such refund: ${q.starting_after}`, { param: 'starting_after' });
  if (before === -1)
    return failure(400, 'invalid_request_error', `No such refund: ${q.ending_before}`, { param: 'ending_before' });
  const end = before ?? all.length;
  const start = after !== undefined ? after + 1 : before !== undefined ? Math.max(0, end - limit) : 0;
  const page = all.slice(start, Math.min(end, start + limit));
  return ok(refundList(order, page, start + page.length < end));
}

function parseObject(body: unknown): RefundAsk | undefined {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RefundAsk) : undefined;
  } catch {
    return undefined;
  }
}
