/**
 * The partner routes, under /wechatpay and at the root (docs/providers/wechatpay.md §5): order query
 * by out_trade_no and by transaction_id, close, reverse, refund and refund query. Each request is
 * authenticated, the documented rule applied to the shared store, and the answer signed; every route
 * goes through answer(), so all seven faults work.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { refundCreate, refundInProgress, refundQuery } from './refunds.js';
import { wechatpayReplies, type WechatReplies } from './replies.js';
import { queryParam, readJson, refuseCaller } from './request.js';
import { closeDecision, reverseDecision } from './rules.js';
import { wechatpaySandboxSettings as settings } from './settings.js';
import { transactionView } from './views.js';

const PARTNER = '/v3/pay/partner/transactions';

interface Route {
  method: 'GET' | 'POST';
  url: string;
  call: SandboxCall;
  act: (req: FastifyRequest, r: WechatReplies) => SimReply;
  /** The "still in progress" answer for the in_progress fault (nothing applied). */
  inProgress: (req: FastifyRequest, r: WechatReplies, code?: string) => SimReply;
}

export function registerWechatpayRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const account = ctx.credentials.wechatpay;
  const r = wechatpayReplies(account);
  const otn = (req: FastifyRequest) => (req.params as { otn: string }).otn;

  /** Orders are keyed by (sp_mchid, sub_mchid, out_trade_no): any other pair finds nothing (§9). */
  const byOutTradeNo = (sp: unknown, sub: unknown, orderId: string): SandboxOrder | undefined =>
    sp === account.spMchid && typeof sub === 'string' ? ctx.store.get('wechatpay', sub, orderId) : undefined;
  /** A transaction_id exists only once the order is paid (§5.1). */
  const byTransactionId = (sp: unknown, sub: unknown, id: string): SandboxOrder | undefined =>
    sp === account.spMchid
      ? ctx.store.list('wechatpay').find((o) => o.merchantId === sub && o.providerOrderId === id && o.paidAt)
      : undefined;

  const missing = (names: string, location: 'query' | 'body') =>
    r.error(400, 'PARAM_ERROR', `缺少参数 ${names}`, { field: names, location });
  const notFound = () => r.error(404, 'ORDER_NOT_EXIST', '订单不存在');
  /** The two scope ids of a query string or body, or the PARAM_ERROR for their absence. */
  const scopeOf = (source: Record<string, unknown> | undefined, location: 'query' | 'body') => {
    const sp = source?.sp_mchid;
    const sub = source?.sub_mchid;
    return typeof sp === 'string' && sp && typeof sub === 'string' && sub
      ? { sp, sub }
      : missing('sp_mchid, sub_mchid', location);
  };
  const queryScope = (req: FastifyRequest) =>
    scopeOf({ sp_mchid: queryParam(req, 'sp_mchid'), sub_mchid: queryParam(req, 'sub_mchid') }, 'query');

  const query = (
    find: (sp: string, sub: string, req: FastifyRequest) => SandboxOrder | undefined,
  ): Pick<Route, 'act' | 'inProgress'> => ({
    act: (req) => {
      const scope = queryScope(req);
      if ('status' in scope) return scope;
      const order = find(scope.sp, scope.sub, req);
      return order ? r.json(200, transactionView(ctx.store.observe(order), account)) : notFound();
    },
    // The payer is entering the password right now: USERPAYING, and the order is not moved on.
    inProgress: (req) => {
      const scope = queryScope(req);
      if ('status' in scope) return scope;
      const order = find(scope.sp, scope.sub, req);
      return order ? r.json(200, transactionView(order, account, 'USERPAYING')) : notFound();
    },
  });

  const routes: Route[] = [
    {
      method: 'GET',
      url: `${PARTNER}/out-trade-no/:otn`,
      call: 'query',
      ...query((sp, sub, req) => byOutTradeNo(sp, sub, otn(req))),
    },
    {
      method: 'GET',
      url: `${PARTNER}/id/:tid`,
      call: 'query',
      ...query((sp, sub, req) => byTransactionId(sp, sub, (req.params as { tid: string }).tid)),
    },
    {
      method: 'POST',
      url: `${PARTNER}/out-trade-no/:otn/close`,
      call: 'close',
      act: (req) => {
        const scope = scopeOf(readJson(req), 'body');
        if ('status' in scope) return scope;
        const order = byOutTradeNo(scope.sp, scope.sub, otn(req));
        const decision = closeDecision(order);
        if (typeof decision !== 'string') return r.error(decision.status, decision.code, decision.message);
        if (decision === 'close') ctx.store.close(order!);
        return r.noContent();
      },
      // Accepted, not processed: the caller must send the same request again (§7.2).
      inProgress: () => ({ status: 202, headers: {}, body: '' }),
    },
    {
      method: 'POST',
      url: `${PARTNER}/out-trade-no/:otn/reverse`,
      call: 'reverse',
      act: (req) => {
        const scope = scopeOf(readJson(req), 'body');
        if ('status' in scope) return scope;
        const order = byOutTradeNo(scope.sp, scope.sub, otn(req));
        const decision = reverseDecision(order);
        if (typeof decision !== 'string') return r.error(decision.status, decision.code, decision.message);
        // Unpaid: closed; paid: the money goes back to the payer (§5.4). A repeat changes nothing.
        if (decision === 'reverse') ctx.store.reverse(order!);
        return r.json(200, {
          sp_appid: account.spAppid,
          sp_mchid: account.spMchid,
          sub_mchid: order!.merchantId,
          out_trade_no: order!.orderId,
        });
      },
      inProgress: (_req, _r, code) =>
        r.error(settings.userpayingStatus, code ?? 'USERPAYING', '正在支付中不能发起撤销'),
    },
    {
      method: 'POST',
      url: '/v3/refund/domestic/refunds',
      call: 'refund',
      act: (req) => refundCreate(req, ctx, r),
      inProgress: () => refundInProgress(),
    },
    {
      method: 'GET',
      url: '/v3/refund/domestic/refunds/:key',
      call: 'queryRefund',
      act: (req) => refundQuery(req, ctx, r, { observe: true }),
      inProgress: (req) => refundQuery(req, ctx, r, { observe: false, status: 'PROCESSING' }),
    },
  ];

  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (req, reply) =>
        answer(reply, ctx.faults, {
          provider: 'wechatpay',
          call: route.call,
          handle: () => refuseCaller(req, account, r) ?? route.act(req, r),
          sign: r.sign,
          inProgress: (code) => route.inProgress(req, r, code),
          rateLimited: r.rateLimited,
          serverError: r.serverError,
        }),
    });
  }
}
