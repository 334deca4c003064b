/**
 * /trade/v1/query, /trade/v1/reversal, /trade/v1/close and /trade/v1/refund under /qfpay
 * (docs/providers/qfpay.md §4–§5): each request is read and authenticated, the documented rule applied to the
 * shared store, and the answer signed. Every route goes through answer(), so all faults work.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { qfpayReplies, type QfpayReplies } from './replies.js';
import { declaredSignType, RateWindow, readParams, refuseCaller } from './request.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { cancelRefusal, refundRefusal } from './rules.js';
import { notifyQfpayRefund } from './refunds.js';
import { queryCall, queryRows } from './transactions.js';
import { hkTime, newPaymentSyssn, refundOutTradeNo } from './views.js';

type Params = Record<string, string>;
interface Route {
  /** Which sandbox call a request is, for fault injection. */
  call: (p: Params | undefined) => SandboxCall;
  act: (p: Params, r: QfpayReplies) => SimReply;
  /** The "still processing" answer for the in_progress fault. */
  inProgress: (p: Params | undefined, r: QfpayReplies, code: string) => SimReply;
}

export function registerQfpayRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const account = ctx.credentials.qfpay;
  const rates = new RateWindow();

  const serve = (methods: ('GET' | 'POST')[], endpoint: string, route: Route): void => {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const params = readParams(req);
      const declared = declaredSignType(req);
      const r = qfpayReplies(
        account.clientKey,
        settings.responseSignType === 'request' && declared === 'SHA256' ? 'SHA256' : 'MD5',
      );
      await answer(reply, ctx.faults, {
        provider: 'qfpay',
        call: route.call(params),
        handle: () => refuseCaller(req, params, account, r, rates) ?? route.act(params!, r),
        sign: r.sign,
        inProgress: (code) => route.inProgress(params, r, code ?? '1145'),
        rateLimited: r.rateLimited,
        serverError: r.serverError,
      });
    };
    for (const method of methods) app.route({ method, url: `/trade/v1/${endpoint}`, handler });
  };

  const orderFor = (p: Params): SandboxOrder | undefined => {
    const mine = ctx.store.list('qfpay').filter((o) => o.merchantId === account.mchid);
    return p.syssn ? mine.find((o) => o.providerOrderId === p.syssn) : mine.find((o) => o.orderId === p.out_trade_no);
  };
  const processing = (r: QfpayReplies, code: string) => r.error(code, '交易处理中，请稍后查询');

  serve(['POST'], 'query', {
    call: (p) => queryCall(ctx, account.mchid, p),
    act: (p, r) => {
      const rows = queryRows(ctx, account.mchid, p, { observe: true });
      if (typeof rows === 'string') return r.error('1104', `参数错误: ${rows}`);
      return r.json({ respmsg: '', resperr: '请求成功', respcd: '0000', ...rows });
    },
    // The rows as they stand, each answering "processing"; nothing is observed.
    inProgress: (p, r, code) => {
      const rows = p ? queryRows(ctx, account.mchid, p, { observe: false, respcd: code }) : 'unreadable parameters';
      return typeof rows === 'string'
        ? processing(r, code)
        : r.json({ respmsg: '', resperr: '请求成功', respcd: '0000', ...rows });
    },
  });

  /** §5.1 / §5.3: cancel a transaction that has not succeeded; a paid one is not supported. */
  const cancel = (kind: 'reversal' | 'close'): Route => ({
    call: () => (kind === 'reversal' ? 'reverse' : 'close'),
    inProgress: (_p, r, code) => processing(r, code),
    act: (p, r) => {
      if (!p.syssn && !p.out_trade_no) return r.error('1104', '参数错误: syssn或out_trade_no必填其一');
      if (!p.txamt || !p.txdtm) return r.error('1104', '参数错误: txamt和txdtm必填');
      const order = orderFor(p);
      if (!order || (p.syssn && p.out_trade_no && order.orderId !== p.out_trade_no))
        return r.error('1136', '交易不存在');
      if (String(order.amount) !== p.txamt) return r.error('1266', '金额错误');
      if (settings.checkTxdtm && hkTime(order.createdAt) !== p.txdtm) return r.error('1267', '订单信息不匹配');
      const common = {
        txdtm: p.txdtm,
        txcurrcd: order.currency,
        txamt: String(order.amount),
        orig_syssn: order.providerOrderId,
        out_trade_no: order.orderId,
      };
      const refusal = cancelRefusal(order);
      // The older "not supported" form: 0000 naming only the original, no new syssn (G-JP §2.5).
      if (order.state === 'paid' && refusal?.[0] === '1260' && settings.cancelPaidAnswer === 'no_syssn')
        return r.json({ resperr: 'success', respmsg: '', respcd: '0000', sysdtm: hkTime(settings.now()), ...common });
      if (refusal) return r.error(...refusal);
      if (kind === 'reversal') ctx.store.reverse(order);
      else ctx.store.close(order);
      const syssn = newPaymentSyssn();
      order.extra.cancelSyssn = syssn;
      return r.json({
        surcharge_fee: '0',
        resperr: 'success',
        syssn,
        sysdtm: hkTime(settings.now()),
        respmsg: '',
        chnlsn2: '',
        cardcd: '',
        surcharge_rate: '0',
        respcd: '0000',
        chnlsn: '',
        ...common,
      });
    },
  });
  // Version-A pages document GET for both; every sample POSTs (§5.1, §5.3): accept both.
  serve(['GET', 'POST'], 'reversal', cancel('reversal'));
  serve(['GET', 'POST'], 'close', cancel('close'));

  serve(['POST'], 'refund', {
    call: () => 'refund',
    inProgress: (_p, r, code) => processing(r, code),
    act: (p, r) => {
      if (!p.syssn || !p.out_trade_no || !p.txamt || !p.txdtm)
        return r.error('1104', '参数错误: syssn, out_trade_no, txamt, txdtm必填');
      if (!/^[1-9]\d{0,10}$/.test(p.txamt)) return r.error('1104', '参数错误: txamt');
      const order = ctx.store
        .list('qfpay')
        .find((o) => o.merchantId === account.mchid && o.providerOrderId === p.syssn);
      if (!order) return r.error('1136', '原交易不存在');
      // The refund's out_trade_no must be new across every payment and refund of the merchant (§5.4).
      const mine = ctx.store.list('qfpay').filter((o) => o.merchantId === account.mchid);
      if (
        mine.some((o) => o.orderId === p.out_trade_no || o.refunds.some((f) => refundOutTradeNo(f) === p.out_trade_no))
      ) {
        return r.error(
          settings.duplicateRefundCode,
          settings.duplicateRefundCode === '1102' ? '重复请求' : '交易流水号重复',
        );
      }
      const refusal = refundRefusal(order, Number(p.txamt), ctx.store);
      if (refusal) return r.error(...refusal);
      const refund = ctx.store.addRefund(order, Number(p.txamt), {
        refundKey: p.out_trade_no,
        extra: { txdtm: p.txdtm },
      });
      // Accepted but not finished: the caller must query the refund by its out_trade_no (§5.4).
      if (refund.status === 'processing') return processing(r, '1145');
      notifyQfpayRefund(ctx, order, refund);
      return r.json({
        orig_syssn: order.providerOrderId,
        sysdtm: hkTime(refund.createdAt),
        paydtm: hkTime(refund.succeededAt ?? refund.createdAt),
        txdtm: p.txdtm,
        txcurrcd: order.currency,
        txamt: p.txamt,
        resperr: 'success',
        respmsg: '',
        out_trade_no: p.out_trade_no,
        syssn: refund.refundId,
        respcd: '0000',
        chnlsn: '',
        cardcd: '',
      });
    },
  });
}
