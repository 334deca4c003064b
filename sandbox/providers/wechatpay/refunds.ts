/**
 * Refund create and refund query (docs/providers/wechatpay.md §5.6, §5.7): out_refund_no is the
 * idempotency key within the sub-merchant, so the same key returns the same refund and never makes
 * a second one; the refund rules of rules.ts decide everything else. A refund that settles (SUCCESS,
 * CLOSED, ABNORMAL) is notified the moment it does (§4.1); with the refundsTurnAbnormal setting a new
 * refund bounces off the payer's card and turns ABNORMAL (§6.2).
 */
import type { FastifyRequest } from 'fastify';
import type { SimReply } from '../../respond.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { wechatpayRefundNotification } from './notification.js';
import type { WechatReplies } from './replies.js';
import { queryParam, readJson } from './request.js';
import { refundRefusal } from './rules.js';
import { wechatpaySandboxSettings as settings } from './settings.js';
import { outRefundNo, refundStatus, refundView } from './views.js';

const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const isFen = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
/** Marks a refund that bounced (refund.extra): it failed to reach the payer, so no money moved. */
const ABNORMAL = 'ABNORMAL';

/** A refund's status as WeChat shows it: ABNORMAL for one that bounced, else as the store holds it. */
export const wechatRefundStatus = (refund: SandboxRefund): string =>
  refund.extra.wechatpayStatus === ABNORMAL ? ABNORMAL : refundStatus(refund);

/** Send the refund's notification if it has settled; false while it is still processing (WeChat sends none then). */
export function notifyWechatpayRefund(ctx: SandboxContext, order: SandboxOrder, refund: SandboxRefund): boolean {
  const status = wechatRefundStatus(refund);
  if (status === 'PROCESSING') return false;
  ctx.notifier.send(wechatpayRefundNotification(order, refund, ctx, status));
  return true;
}

/**
 * A refund the payer's bank sent back (frozen or closed card): recorded on the order but outside the ledger, as
 * no money reached anyone, and out of the refunded total (failed). The order shows REFUND, as any order with a
 * refund does (§6.1).
 */
function bouncedRefund(
  ctx: SandboxContext,
  order: SandboxOrder,
  amount: number,
  key: string,
  reason: unknown,
): SandboxRefund {
  const refund: SandboxRefund = {
    refundId: ctx.store.identity('wechatpay').newRefundId(),
    refundKey: key,
    amount,
    status: 'failed',
    createdAt: settings.now(),
    extra: { reason, wechatpayStatus: ABNORMAL },
  };
  order.refunds.push(refund);
  order.state = ctx.store.refunded(order) + amount >= order.amount ? 'refunded' : 'partially_refunded';
  return refund;
}

/** POST /v3/refund/domestic/refunds. */
export function refundCreate(req: FastifyRequest, ctx: SandboxContext, r: WechatReplies): SimReply {
  const body = readJson(req);
  const param = (field: string, issue: string) =>
    r.error(400, 'PARAM_ERROR', `参数错误: ${field} ${issue}`, { field, location: 'body' });
  if (!body) return r.error(400, 'PARAM_ERROR', '请求体不是合法的JSON');
  const { sub_mchid: sub, out_refund_no: key, transaction_id: tid, out_trade_no: otn, reason } = body;
  const amount = (body.amount ?? {}) as Record<string, unknown>;
  const [fen, total] = [amount.refund, amount.total];
  if (typeof sub !== 'string' || !sub) return param('/sub_mchid', '必填');
  if (typeof key !== 'string' || !OUT_REFUND_NO.test(key)) return param('/out_refund_no', '格式错误');
  if (typeof tid !== 'string' && typeof otn !== 'string') return param('/transaction_id', '与 out_trade_no 必填其一');
  if (!isFen(fen)) return param('/amount/refund', '必须为正整数');
  if (!isFen(total)) return param('/amount/total', '必须为正整数');
  if (amount.currency !== 'CNY') return param('/amount/currency', '只支持CNY');
  if (reason !== undefined && (typeof reason !== 'string' || Array.from(reason).length > 80))
    return param('/reason', '长度不能超过80');

  const mine = ctx.store.list('wechatpay').filter((o) => o.merchantId === sub);
  const byTid = typeof tid === 'string' ? mine.find((o) => o.providerOrderId === tid && o.paidAt) : undefined;
  const byOtn = typeof otn === 'string' ? mine.find((o) => o.orderId === otn) : undefined;
  if (byTid && byOtn && byTid !== byOtn) return param('/out_trade_no', '与 transaction_id 不匹配');
  const order = typeof tid === 'string' ? byTid : byOtn;
  if (!order) return r.error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');

  // Same out_refund_no: the same refund, never a second one (§5.6).
  const holder = mine.find((o) => o.refunds.some((f) => outRefundNo(f) === key));
  if (holder && holder !== order) return r.error(400, 'INVALID_REQUEST', '商户退款单号已被其他订单使用');
  const existing = order.refunds.find((f) => outRefundNo(f) === key);
  if (existing) {
    if (existing.amount === fen || settings.sameKeyOtherAmount === 'existing') {
      return r.json(200, refundView(order, existing, wechatRefundStatus(existing)));
    }
    return r.error(400, 'INVALID_REQUEST', '同一退款单号多次请求，退款金额不一致');
  }
  const refusal = refundRefusal(order, fen, total, ctx.store);
  if (refusal) return r.error(refusal.status, refusal.code, refusal.message);
  if (settings.refundsTurnAbnormal) {
    // Accepted as usual; the bounce comes after, so the answer still says PROCESSING.
    const bounced = bouncedRefund(ctx, order, fen, key, reason);
    notifyWechatpayRefund(ctx, order, bounced);
    return r.json(200, refundView(order, bounced, 'PROCESSING'));
  }
  const refund = ctx.store.addRefund(order, fen, { refundKey: key, extra: { reason } });
  notifyWechatpayRefund(ctx, order, refund);
  return r.json(200, refundView(order, refund));
}

/** The in_progress fault on refund: 202, accepted but not processed; send the same request again (§7.2). */
export const refundInProgress = (): SimReply => ({ status: 202, headers: {}, body: '' });

/** GET /v3/refund/domestic/refunds/{out_refund_no}?sub_mchid= ; `status` overrides the answer (the in_progress fault). */
export function refundQuery(
  req: FastifyRequest,
  ctx: SandboxContext,
  r: WechatReplies,
  options: { observe: boolean; status?: string },
): SimReply {
  const sub = queryParam(req, 'sub_mchid');
  if (!sub) return r.error(400, 'PARAM_ERROR', '缺少参数 sub_mchid', { field: 'sub_mchid', location: 'query' });
  const key = (req.params as { key: string }).key;
  const hit = ctx.store.findRefund('wechatpay', (f, o: SandboxOrder) => o.merchantId === sub && outRefundNo(f) === key);
  if (!hit) return r.error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  const { order, refund } = hit;
  if (options.observe) {
    const before = refund.status;
    ctx.store.observeRefund(order, refund);
    // Settled just now: WeChat notifies it.
    if (refund.status !== before) notifyWechatpayRefund(ctx, order, refund);
  }
  return r.json(200, refundView(order, refund, options.status ?? wechatRefundStatus(refund)));
}
