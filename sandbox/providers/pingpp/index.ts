/**
 * Ping++ simulator (pingpp.md §4–§9): charges retrieve / reverse / refunds, API-key auth (Basic
 * or Bearer), RSA request signatures verified over raw body + raw request URI + timestamp, 2xx
 * responses and webhooks signed with the platform key. Refunds are NOT idempotent, as at Ping++.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestStringToSign, rsaSign, rsaVerify } from '../../../activities/providers/pingpp/signer.js';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { ProviderSimulator, SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';

const DAY = 86_400_000;
const id = (prefix: string): string => `${prefix}${randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(24, 'x').slice(0, 24)}`;
const unix = (d: Date | undefined): number | null => (d ? Math.floor(d.getTime() / 1000) : null);
const SCAN = ['wx_pub_scan', 'cb_wx_pub_scan', 'alipay_scan', 'cb_alipay_scan', 'upacp_scan', 'isv_scan', 'isv_wap', 'isv_qr'];
const UNPAID_ONLY = ['alipay', 'alipay_qr', 'alipay_lite', 'upacp', 'upacp_pc', 'upacp_wap', 'wx', 'wx_wap', 'wx_lite', 'wx_pub', 'wx_pub_qr'];
/** Reversal windows per channel, newer REV revision (pingpp.md §4.2); same-day channels as one day. */
const windowMs = (channel: string): number => (['wx_pub_scan', 'cb_wx_pub_scan'].includes(channel) ? 7 * DAY : UNPAID_ONLY.includes(channel) ? 7 * DAY : DAY);

export function refundView(order: SandboxOrder, r: SandboxRefund): Record<string, unknown> {
  return {
    id: r.refundId,
    object: 'refund',
    order_no: r.refundId.slice(3, 15),
    amount: r.amount,
    created: unix(r.createdAt),
    succeed: r.status === 'succeeded',
    status: r.status === 'processing' ? 'pending' : r.status,
    time_succeed: unix(r.succeededAt),
    description: r.extra.description ?? '',
    failure_code: null,
    failure_msg: null,
    metadata: r.extra.metadata ?? {},
    charge: order.providerOrderId,
    charge_order_no: order.orderId,
    transaction_no: null,
    extra: {},
  };
}

export function chargeView(order: SandboxOrder): Record<string, unknown> {
  const paid = order.paidAt !== undefined;
  const amountRefunded = order.refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
  return {
    id: order.providerOrderId,
    object: 'charge',
    created: unix(order.createdAt),
    livemode: false,
    paid,
    refunded: order.refunds.length > 0,
    reversed: order.state === 'reversed',
    app: order.merchantId,
    channel: order.payType,
    order_no: order.orderId,
    client_ip: '127.0.0.1',
    amount: order.amount,
    amount_settle: order.amount,
    currency: order.currency,
    subject: 'sandbox order',
    body: 'sandbox order',
    extra: {},
    time_paid: unix(order.paidAt),
    time_expire: order.state === 'expired' ? unix(new Date(Date.now() - 1000)) : unix(new Date(order.createdAt.getTime() + DAY)),
    time_settle: null,
    transaction_no: paid ? `4200${order.providerOrderId.slice(3, 20)}` : null,
    refunds: { object: 'list', url: `/v1/charges/${order.providerOrderId}/refunds`, has_more: false, data: order.refunds.map((r) => refundView(order, r)) },
    amount_refunded: amountRefunded,
    failure_code: order.state === 'failed' ? 'channel_returns_fail' : null,
    failure_msg: order.state === 'failed' ? 'channel failure' : null,
    metadata: {},
    credential: {},
    description: null,
  };
}

function register(app: FastifyInstance, ctx: SandboxContext): void {
  const { apiKey, merchantPublicKeyPem, platformPrivateKeyPem } = ctx.credentials.pingpp;
  const json = (status: number, body: unknown): SimReply => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
  const error = (status: number, type: string, message: string, extra: Record<string, string> = {}): SimReply => json(status, { error: { type, message, ...extra } });
  const sign = (r: SimReply, { corrupt }: { corrupt: boolean }): SimReply =>
    r.status >= 200 && r.status < 300 && r.body !== undefined ? { ...r, headers: { ...r.headers, 'x-pingplusplus-signature': rsaSign(corrupt ? `${r.body} ` : r.body, platformPrivateKeyPem) } } : r;

  /** Auth and the RSA request signature; undefined when the request may proceed. */
  const refuse = (req: FastifyRequest): SimReply | undefined => {
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8').replace(/:$/, '') : '';
    if (key !== apiKey) return error(401, 'invalid_request_error', 'No valid API key provided');
    // Request signing is enabled for the sandbox app: unsigned or badly signed requests fail.
    const signature = req.headers['pingplusplus-signature'] as string | undefined;
    const timestamp = req.headers['pingplusplus-request-timestamp'] as string | undefined;
    if (!signature || !timestamp) return error(401, 'invalid_request_error', 'Pingplusplus-Signature is required for this app');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return error(401, 'invalid_request_error', 'Pingplusplus-Request-Timestamp is too far from now');
    const raw = typeof req.body === 'string' ? req.body : '';
    if (!rsaVerify(requestStringToSign(raw, req.url, timestamp), signature, merchantPublicKeyPem)) return error(401, 'invalid_request_error', 'Pingplusplus-Signature verification failed');
    return undefined;
  };

  const route = (method: 'GET' | 'POST', url: string, call: SandboxCall, handle: (req: FastifyRequest, order: SandboxOrder) => SimReply) => {
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        await answer(reply, ctx.faults, {
          provider: 'pingpp',
          call,
          sign,
          rateLimited: () => error(429, 'invalid_request_error', 'Too many requests'),
          serverError: () => error(500, 'api_error', 'Internal server error'),
          handle: () => {
            const refused = refuse(req);
            if (refused) return refused;
            const order = ctx.store.findByProviderOrderId('pingpp', (req.params as { id: string }).id);
            if (!order) return error(404, 'invalid_request_error', `No such charge: ${(req.params as { id: string }).id}`, { param: 'id' });
            return handle(req, order);
          },
        });
      },
    });
  };

  route('GET', '/v1/charges/:id', 'query', (_req, order) => json(200, chargeView(ctx.store.observe(order))));

  route('POST', '/v1/charges/:id/reverse', 'reverse', (_req, order) => {
    if (order.state === 'reversed') return json(200, chargeView(order));
    const paid = order.paidAt !== undefined;
    if (paid && !SCAN.includes(order.payType)) return error(400, 'invalid_request_error', `charge on channel ${order.payType} is paid: refund it instead`);
    if (!SCAN.includes(order.payType) && !UNPAID_ONLY.includes(order.payType)) return error(400, 'invalid_request_error', `channel ${order.payType} does not support reverse`);
    if (Date.now() - order.createdAt.getTime() > windowMs(order.payType)) return error(400, 'invalid_request_error', 'charge is past the reversal window');
    if (order.refunds.length > 0) return error(400, 'invalid_request_error', 'charge has refunds');
    if (['closed', 'expired', 'failed'].includes(order.state)) return error(400, 'invalid_request_error', `charge is ${order.state}`);
    ctx.store.reverse(order);
    return json(200, chargeView(order));
  });

  route('POST', '/v1/charges/:id/refunds', 'refund', (req, order) => {
    let body: { amount?: unknown; description?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(typeof req.body === 'string' && req.body ? req.body : '{}');
    } catch {
      return error(400, 'invalid_request_error', 'body is not JSON');
    }
    if (typeof body.description !== 'string' || body.description.length === 0) return error(400, 'invalid_request_error', 'description is required', { param: 'description' });
    if (!order.paidAt || order.state === 'reversed') return error(400, 'invalid_request_error', 'charge is not paid');
    const refundable = ctx.store.refundable(order);
    const amount = body.amount === undefined ? refundable : body.amount;
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) return error(400, 'invalid_request_error', 'amount must be a positive integer', { param: 'amount' });
    if (amount > refundable) return error(400, 'invalid_request_error', 'refund amount exceeds the refundable amount', { param: 'amount' });
    // No idempotency: every POST is a new refund (pingpp.md §7).
    const refund = ctx.store.addRefund(order, amount, { extra: { description: body.description, metadata: body.metadata ?? {} } });
    return json(200, refundView(order, refund));
  });

  route('GET', '/v1/charges/:id/refunds', 'queryRefund', (_req, order) => {
    for (const r of order.refunds) ctx.store.observeRefund(order, r);
    return json(200, { object: 'list', url: `/v1/charges/${order.providerOrderId}/refunds`, has_more: false, data: order.refunds.map((r) => refundView(order, r)) });
  });

  route('GET', '/v1/charges/:id/refunds/:re', 'queryRefund', (req, order) => {
    const refund = order.refunds.find((r) => r.refundId === (req.params as { re: string }).re);
    if (!refund) return error(404, 'invalid_request_error', 'No such refund', { param: 'id' });
    return json(200, refundView(order, ctx.store.observeRefund(order, refund)));
  });
}

export const pingppSimulator: ProviderSimulator = {
  id: 'pingpp',
  identity: {
    defaultMerchantId: 'app_1Gqj58ynP0mHeX1q',
    defaultCurrency: 'cny',
    defaultPayType: 'alipay_qr',
    newProviderOrderId: () => id('ch_'),
    newRefundId: () => id('re_'),
  },
  register,
  paymentNotification: (order, ctx) => {
    const body = JSON.stringify({ id: id('evt_'), created: unix(new Date()), livemode: true, type: 'charge.succeeded', data: { object: chargeView(order) }, object: 'event', pending_webhooks: 0, request: id('iar_') });
    return {
      provider: 'pingpp',
      orderId: order.orderId,
      headers: { 'content-type': 'application/json', 'x-pingplusplus-signature': rsaSign(body, ctx.credentials.pingpp.platformPrivateKeyPem) },
      body,
      isAck: (status) => status >= 200 && status < 300,
    };
  },
  describe: (order) => ({ id: order.providerOrderId, order_no: order.orderId, channel: order.payType, app: order.merchantId }),
};
