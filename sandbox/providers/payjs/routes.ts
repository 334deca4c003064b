/**
 * POST /api/check, /api/reverse, /api/close, /api/refund under /payjs (docs/providers/payjs.md §3, §7): the
 * request is read (urlencoded, multipart or JSON), its signature checked, the order found by
 * payjs_order_id, the documented rule applied to the shared store, and the answer signed.
 */
import type { FastifyInstance } from 'fastify';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { parseRequestBody } from './body.js';
import { payjsReplies } from './replies.js';
import { payjsSandboxSettings as settings } from './settings.js';
import { simVerify } from './signing.js';
import { checkView, moneyReturned, transactionIdOf, wasPaid } from './views.js';

const DAY = 86_400_000;
const ageMs = (order: SandboxOrder): number => Date.now() - order.createdAt.getTime();

export function registerPayjsRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { key, mchid } = ctx.credentials.payjs;
  const r = payjsReplies(key);
  const done = (order: SandboxOrder): SimReply =>
    r.ok({ return_code: 1, return_msg: 'SUCCESS', payjs_order_id: order.providerOrderId });

  const route = (name: string, call: SandboxCall, act: (order: SandboxOrder) => SimReply): void => {
    app.post(`/api/${name}`, async (req, reply) => {
      const handle = (): SimReply => {
        const fields = parseRequestBody(req.body, req.headers['content-type']);
        if (!fields) return r.refuse('参数错误', { signed: false });
        // mchid is optional on these calls (the docs' Python demos omit it); when sent it must be ours.
        if (fields.mchid && fields.mchid !== mchid) return r.refuse('商户号错误', { signed: false });
        if (!simVerify(fields, key)) return r.refuse('签名错误');
        if (!fields.payjs_order_id) return r.refuse('参数错误：缺少payjs_order_id');
        const order = ctx.store.findByProviderOrderId('payjs', fields.payjs_order_id);
        if (!order || order.merchantId !== mchid) return r.refuse('订单不存在');
        return act(order);
      };
      await answer(reply, ctx.faults, {
        provider: 'payjs',
        call,
        handle,
        sign: r.sign,
        inProgress: r.busy,
        rateLimited: r.rateLimited,
        serverError: r.serverError,
      });
    });
  };

  route('check', 'query', (order) => r.ok(checkView(ctx.store.observe(order))));

  // §3.3: orders ≤ 30 days; a paid order cannot be closed [INF]; closing a finished order is a no-op.
  route('close', 'close', (order) => {
    if (ageMs(order) > 30 * DAY) return r.refuse('订单已超过30天，无法关闭');
    if (wasPaid(order)) return r.refuse('订单已支付，无法关闭');
    if (order.state === 'unpaid' || order.state === 'paying') ctx.store.close(order);
    return done(order);
  });

  // §3.2: orders ≤ 7 days; paid → refunded to the payer, unpaid → closed. A repeat changes nothing.
  route('reverse', 'reverse', (order) => {
    if (ageMs(order) > 7 * DAY) return r.refuse('订单已超过7天，无法撤销');
    if (order.state === 'refunded' || order.state === 'partially_refunded') return r.refuse('订单已退款，无法撤销');
    if (order.state === 'unpaid' || order.state === 'paying' || order.state === 'paid') ctx.store.reverse(order);
    return done(order);
  });

  // §3.4: full refunds only, needs unsettled balance > amount; a refunded order answers refund "1".
  route('refund', 'refund', (order) => {
    const ids = { payjs_order_id: order.providerOrderId, out_trade_no: order.orderId };
    if (moneyReturned(order)) {
      return r.ok({
        return_code: settings.repeatRefundReturnCode,
        return_msg: '订单已退款',
        ...ids,
        transaction_id: transactionIdOf(order),
        refund: '1',
      });
    }
    if (order.state !== 'paid') return r.refuse('订单未支付，无法退款');
    if (settings.unsettledBalance <= order.amount) return r.refuse('未结算金额不足，无法退款');
    ctx.store.addRefund(order, order.amount, { status: 'succeeded' });
    return r.ok({ return_code: 1, return_msg: 'SUCCESS', ...ids, transaction_id: transactionIdOf(order) });
  });
}
