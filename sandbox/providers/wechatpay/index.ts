/**
 * WeChat Pay v3 partner simulator (wechatpay-v3-partner.md §5, §9): verifies the merchant's
 * WECHATPAY2-SHA256-RSA2048 Authorization over the raw request-target and body (±300 s), scopes
 * orders by (sp_mchid, sub_mchid), signs every answer (204 included) with the platform key under
 * the PUB_KEY_ID, keeps refunds idempotent per out_refund_no, and sends encrypted notifications.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encryptResource, MAX_CLOCK_SKEW_S, parseAuthorization, requestMessage, responseMessage, rsaSign, rsaVerify } from '../../../activities/providers/wechatpay/signer.js';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { ProviderSimulator, SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';

const DAY = 86_400_000;
const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const rfc3339 = (d: Date | undefined): string | undefined => (d ? `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00` : undefined);

const TRADE_STATE: Record<SandboxOrder['state'], string> = {
  unpaid: 'NOTPAY',
  paying: 'USERPAYING',
  paid: 'SUCCESS',
  closed: 'CLOSED',
  expired: 'CLOSED',
  reversed: 'REVOKED',
  refunded: 'REFUND',
  partially_refunded: 'REFUND',
  failed: 'PAYERROR',
};

function transactionView(order: SandboxOrder, spMchid: string, spAppid: string): Record<string, unknown> {
  const paid = order.paidAt !== undefined;
  return {
    sp_appid: spAppid,
    sp_mchid: spMchid,
    sub_mchid: order.merchantId,
    out_trade_no: order.orderId,
    ...(paid ? { transaction_id: order.providerOrderId, success_time: rfc3339(order.paidAt), bank_type: 'OTHERS', payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } } : {}),
    trade_type: order.payType,
    trade_state: TRADE_STATE[order.state],
    trade_state_desc: TRADE_STATE[order.state],
    amount: { total: order.amount, ...(paid ? { payer_total: order.amount } : {}), currency: order.currency, payer_currency: order.currency },
  };
}

function refundView(order: SandboxOrder, r: SandboxRefund): Record<string, unknown> {
  return {
    refund_id: r.refundId,
    out_refund_no: r.refundKey,
    transaction_id: order.providerOrderId,
    out_trade_no: order.orderId,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    success_time: rfc3339(r.succeededAt),
    create_time: rfc3339(r.createdAt),
    status: r.status === 'succeeded' ? 'SUCCESS' : r.status === 'processing' ? 'PROCESSING' : 'CLOSED',
    amount: { total: order.amount, refund: r.amount, payer_total: order.amount, payer_refund: r.amount, settlement_refund: r.amount, settlement_total: order.amount, discount_refund: 0, currency: order.currency },
  };
}

function register(app: FastifyInstance, ctx: SandboxContext): void {
  const cred = ctx.credentials.wechatpay;
  const json = (status: number, body?: unknown): SimReply => ({ status, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) });
  const error = (status: number, code: string, message: string): SimReply => json(status, { code, message });
  // Every answer is signed, errors too (harmless, and lets callers trust a 404).
  const sign = (r: SimReply, { corrupt }: { corrupt: boolean }): SimReply => {
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomBytes(16).toString('hex');
    const signature = rsaSign(responseMessage(timestamp, nonce, corrupt ? `${r.body ?? ''} ` : (r.body ?? '')), cred.platformPrivateKeyPem);
    return {
      ...r,
      headers: { ...r.headers, 'wechatpay-serial': cred.platformKeyId, 'wechatpay-timestamp': String(timestamp), 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'request-id': randomBytes(12).toString('hex') },
    };
  };

  const refuse = (req: FastifyRequest): SimReply | undefined => {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return error(401, 'SIGN_ERROR', 'Authorization 头缺失或格式错误');
    if (auth.mchid !== cred.spMchid) return error(401, 'SIGN_ERROR', '商户号与签名不匹配');
    if (auth.serial_no !== cred.merchantSerial) return error(401, 'SIGN_ERROR', '商户证书序列号有误');
    if (Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > MAX_CLOCK_SKEW_S) return error(401, 'SIGN_ERROR', '请求时间戳超出允许范围');
    const body = typeof req.body === 'string' ? req.body : '';
    if (!rsaVerify(requestMessage(req.method, req.url, auth.timestamp, auth.nonce_str, body), auth.signature, cred.merchantPublicKeyPem)) return error(401, 'SIGN_ERROR', '签名错误');
    return undefined;
  };

  const route = (method: 'GET' | 'POST', url: string, call: SandboxCall, handle: (req: FastifyRequest, body: Record<string, any>) => SimReply) => {
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        await answer(reply, ctx.faults, {
          provider: 'wechatpay',
          call,
          sign,
          inProgress: () => error(403, 'USERPAYING', '正在支付中不能发起撤销'),
          rateLimited: () => error(429, 'FREQUENCY_LIMITED', '你的操作过于频繁，请稍后再试。'),
          serverError: () => error(500, 'SYSTEM_ERROR', '系统错误'),
          handle: () => {
            const refused = refuse(req);
            if (refused) return refused;
            let body: Record<string, any> = {};
            if (method === 'POST') {
              try {
                body = JSON.parse(typeof req.body === 'string' && req.body ? req.body : '{}');
              } catch {
                return error(400, 'PARAM_ERROR', '请求体不是合法的 JSON');
              }
            }
            return handle(req, body);
          },
        });
      },
    });
  };

  /** Orders are scoped by sub_mchid: the wrong one finds nothing (§9). */
  const scoped = (order: SandboxOrder | undefined, sub: unknown): SandboxOrder | undefined => (order && order.merchantId === sub ? order : undefined);
  const notFound = () => error(404, 'ORDER_NOT_EXIST', '订单不存在');
  const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
  const otn = (req: FastifyRequest) => (req.params as { otn: string }).otn;

  const query = (order: SandboxOrder | undefined, req: FastifyRequest): SimReply => {
    if (q(req).sp_mchid !== cred.spMchid || !q(req).sub_mchid) return error(400, 'PARAM_ERROR', 'sp_mchid 与 sub_mchid 必填');
    const found = scoped(order, q(req).sub_mchid);
    return found ? json(200, transactionView(ctx.store.observe(found), cred.spMchid, cred.spAppid)) : notFound();
  };
  route('GET', '/v3/pay/partner/transactions/out-trade-no/:otn', 'query', (req) => query(ctx.store.findByOrderId('wechatpay', otn(req)), req));
  route('GET', '/v3/pay/partner/transactions/id/:tid', 'query', (req) => query(ctx.store.findByProviderOrderId('wechatpay', (req.params as { tid: string }).tid), req));

  route('POST', '/v3/pay/partner/transactions/out-trade-no/:otn/close', 'close', (req, body) => {
    if (body.sp_mchid !== cred.spMchid || !body.sub_mchid) return error(400, 'PARAM_ERROR', 'sp_mchid 与 sub_mchid 必填');
    const order = scoped(ctx.store.findByOrderId('wechatpay', otn(req)), body.sub_mchid);
    // An unknown or already closed order still answers 204 (§5.3).
    if (!order || ['closed', 'expired'].includes(order.state)) return json(204);
    if (order.state === 'unpaid' || order.state === 'paying') {
      ctx.store.close(order);
      return json(204);
    }
    if (order.state === 'reversed') return error(400, 'ORDER_CLOSED', '订单已关闭');
    return error(400, 'ORDER_PAID', '订单已支付');
  });

  route('POST', '/v3/pay/partner/transactions/out-trade-no/:otn/reverse', 'reverse', (req, body) => {
    if (body.sp_mchid !== cred.spMchid || !body.sub_mchid) return error(400, 'PARAM_ERROR', 'sp_mchid 与 sub_mchid 必填');
    const order = scoped(ctx.store.findByOrderId('wechatpay', otn(req)), body.sub_mchid);
    if (!order) return notFound();
    if (Date.now() - order.createdAt.getTime() > 7 * DAY) return error(403, 'REVERSE_EXPIRE', '订单已超过撤销期限');
    if (['refunded', 'partially_refunded'].includes(order.state)) return error(403, 'TRADE_ERROR', '订单已退款');
    // Unpaid → closed; paid → the money goes back to the payer (§5.4). A repeat changes nothing.
    if (['unpaid', 'paying', 'paid'].includes(order.state)) ctx.store.reverse(order);
    return json(200, { sp_appid: cred.spAppid, sp_mchid: cred.spMchid, sub_mchid: order.merchantId, out_trade_no: order.orderId });
  });

  route('POST', '/v3/refund/domestic/refunds', 'refund', (_req, body) => {
    const sub = body.sub_mchid;
    const key = body.out_refund_no;
    const amount = body.amount?.refund;
    if (!sub || typeof key !== 'string' || !/^[0-9A-Za-z_\-|*@]{1,64}$/.test(key) || !Number.isInteger(amount) || amount <= 0 || !Number.isInteger(body.amount?.total) || body.amount?.currency !== 'CNY') {
      return error(400, 'PARAM_ERROR', 'sub_mchid, out_refund_no, amount.refund, amount.total 与 amount.currency 必填');
    }
    const order = scoped(body.transaction_id ? ctx.store.findByProviderOrderId('wechatpay', body.transaction_id) : ctx.store.findByOrderId('wechatpay', body.out_trade_no), sub);
    if (!order || !order.paidAt || order.state === 'reversed') return error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    // Same out_refund_no: the same refund, never a second one (§5.6).
    const existing = order.refunds.find((r) => r.refundKey === key);
    if (existing) return existing.amount === amount ? json(200, refundView(order, existing)) : error(400, 'INVALID_REQUEST', '同一退款单号的退款金额不一致');
    if (body.amount.total !== order.amount) return error(400, 'PARAM_ERROR', 'amount.total 与订单金额不一致');
    if (amount > ctx.store.refundable(order)) return error(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    if (order.refunds.length >= 50) return error(403, 'RULE_LIMIT', '部分退款次数超过50次');
    if (Date.now() - order.paidAt.getTime() > 365 * DAY) return error(400, 'INVALID_REQUEST', '订单已超过退款期限');
    return json(200, refundView(order, ctx.store.addRefund(order, amount, { refundKey: key })));
  });

  route('GET', '/v3/refund/domestic/refunds/:key', 'queryRefund', (req) => {
    const key = (req.params as { key: string }).key;
    const hit = ctx.store.findRefund('wechatpay', (r, o) => r.refundKey === key && o.merchantId === q(req).sub_mchid);
    if (!hit) return error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return json(200, refundView(hit.order, ctx.store.observeRefund(hit.order, hit.refund)));
  });
}

export const wechatpaySimulator: ProviderSimulator = {
  id: 'wechatpay',
  identity: {
    defaultMerchantId: '1900000109',
    defaultCurrency: 'CNY',
    defaultPayType: 'NATIVE',
    newProviderOrderId: () => `4200${digits(24)}`,
    newRefundId: () => `5030${digits(25)}`,
  },
  register,
  paymentNotification: (order, ctx) => {
    const cred = ctx.credentials.wechatpay;
    const nonce = randomBytes(6).toString('hex');
    const resource = JSON.stringify(transactionView(order, cred.spMchid, cred.spAppid));
    const body = JSON.stringify({
      id: `EV-${digits(19)}`,
      create_time: rfc3339(new Date()),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptResource(cred.apiV3Key, nonce, 'transaction', resource), associated_data: 'transaction', nonce },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headerNonce = randomBytes(16).toString('hex');
    return {
      provider: 'wechatpay',
      orderId: order.orderId,
      headers: {
        'content-type': 'application/json',
        'wechatpay-serial': cred.platformKeyId,
        'wechatpay-timestamp': String(timestamp),
        'wechatpay-nonce': headerNonce,
        'wechatpay-signature': rsaSign(responseMessage(timestamp, headerNonce, body), cred.platformPrivateKeyPem),
        'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      },
      body,
      isAck: (status) => status === 200 || status === 204,
    };
  },
  describe: (order) => ({ out_trade_no: order.orderId, transaction_id: order.paidAt ? order.providerOrderId : undefined, trade_type: order.payType, sub_mchid: order.merchantId }),
};
