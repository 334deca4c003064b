/**
 * PAYJS simulator: POST /api/check, /api/reverse, /api/close, /api/refund (payjs.md §3, §7).
 * Accepts form-encoded and JSON bodies, verifies the MD5 signature, signs every answer, and
 * sends form-encoded payment notifications.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { payjsSign, payjsVerify, type SignableValue } from '../../../activities/providers/payjs/signer.js';
import { answer, type SimReply } from '../../respond.js';
import type { SandboxCall } from '../../faults.js';
import type { ProviderSimulator, SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';

const DAY = 86_400_000;
const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const stamp = (d: Date): string => d.toISOString().replace(/\D/g, '').slice(0, 14);
const time = (d: Date | undefined): string => (d ? new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19) : '0');

function parseBody(raw: unknown, contentType: string | undefined): Record<string, string> {
  const text = typeof raw === 'string' ? raw : '';
  if (contentType?.includes('application/json')) {
    try {
      return Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function register(app: FastifyInstance, ctx: SandboxContext): void {
  const { key, mchid } = ctx.credentials.payjs;
  const json = (body: Record<string, SignableValue>): SimReply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sign = (reply: SimReply, { corrupt }: { corrupt: boolean }): SimReply => {
    if (reply.status !== 200 || !reply.body) return reply;
    const body = JSON.parse(reply.body) as Record<string, SignableValue>;
    body.sign = corrupt ? payjsSign({ ...body, tampered: 'yes' }, key) : payjsSign(body, key);
    return { ...reply, body: JSON.stringify(body) };
  };
  const fail = (msg: string): SimReply => json({ return_code: 0, return_msg: msg });

  const route = (name: string, call: SandboxCall, handle: (order: SandboxOrder) => SimReply) => {
    app.post(`/api/${name}`, async (req, reply) => {
      const fields = parseBody(req.body, req.headers['content-type']);
      await answer(reply, ctx.faults, {
        provider: 'payjs',
        call,
        sign,
        handle: () => {
          if (!payjsVerify(fields, key)) return fail('签名错误');
          if (fields.mchid && fields.mchid !== mchid) return fail('商户号错误');
          const order = fields.payjs_order_id ? ctx.store.findByProviderOrderId('payjs', fields.payjs_order_id) : undefined;
          if (!order) return fail('订单不存在');
          return handle(order);
        },
      });
    });
  };

  route('check', 'query', (order) => {
    ctx.store.observe(order);
    const paid = ['paid', 'refunded', 'partially_refunded'].includes(order.state) || (order.state === 'reversed' && order.reversedAfterPayment);
    return json({
      return_code: 1,
      mchid: order.merchantId,
      out_trade_no: order.orderId,
      payjs_order_id: order.providerOrderId,
      transaction_id: paid ? String(order.extra.transactionId ?? '0') : '0',
      status: paid ? 1 : 0,
      total_fee: order.amount,
      paid_time: paid ? time(order.paidAt) : '0',
    });
  });

  route('reverse', 'reverse', (order) => {
    if (Date.now() - order.createdAt.getTime() > 7 * DAY) return fail('订单超过7天，无法撤销');
    if (['refunded', 'partially_refunded'].includes(order.state)) return fail('订单已退款');
    // Paid → refunded to the payer automatically; unpaid → closed (payjs.md §3.2). A repeat is a no-op.
    if (order.state !== 'reversed') ctx.store.reverse(order);
    return json({ return_code: 1, return_msg: 'SUCCESS', payjs_order_id: order.providerOrderId });
  });

  route('close', 'close', (order) => {
    if (Date.now() - order.createdAt.getTime() > 30 * DAY) return fail('订单超过30天，无法关闭');
    if (['paid', 'refunded', 'partially_refunded'].includes(order.state)) return fail('订单已支付，无法关闭');
    if (order.state === 'unpaid' || order.state === 'paying') ctx.store.close(order);
    return json({ return_code: 1, return_msg: 'SUCCESS', payjs_order_id: order.providerOrderId });
  });

  route('refund', 'refund', (order) => {
    const ids = { payjs_order_id: order.providerOrderId, out_trade_no: order.orderId, transaction_id: String(order.extra.transactionId ?? '') };
    if (order.state === 'refunded') return json({ return_code: 1, return_msg: '订单已退款', refund: '1', ...ids });
    if (order.state !== 'paid') return fail('订单未支付，无法退款');
    ctx.store.addRefund(order, order.amount, { status: 'succeeded' });
    return json({ return_code: 1, return_msg: 'SUCCESS', ...ids });
  });
}

export const payjsSimulator: ProviderSimulator = {
  id: 'payjs',
  identity: {
    defaultMerchantId: '1528140051',
    defaultCurrency: 'CNY',
    defaultPayType: 'native',
    newProviderOrderId: () => `${stamp(new Date())}${digits(11)}`,
    newRefundId: () => `R${stamp(new Date())}${digits(10)}`,
  },
  register,
  paymentNotification: (order, ctx) => {
    order.extra.transactionId ??= `42000${digits(23)}`;
    const fields: Record<string, string> = {
      return_code: '1',
      total_fee: String(order.amount),
      out_trade_no: order.orderId,
      payjs_order_id: order.providerOrderId,
      transaction_id: String(order.extra.transactionId),
      time_end: time(order.paidAt),
      openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
      mchid: order.merchantId,
    };
    fields.sign = payjsSign(fields, ctx.credentials.payjs.key);
    return {
      provider: 'payjs',
      orderId: order.orderId,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      isAck: (status) => status === 200,
    };
  },
  describe: (order) => ({ payjs_order_id: order.providerOrderId, out_trade_no: order.orderId, total_fee: order.amount }),
};
