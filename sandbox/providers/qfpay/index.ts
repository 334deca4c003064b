/**
 * QFPay simulator (qfpay.md §4–§10): /trade/v1/query, /reversal, /close (GET or POST), /refund.
 * Verifies X-QF-APPCODE and X-QF-SIGN (MD5 or SHA256, case-insensitive), answers in Python
 * `json.dumps` format signed with MD5(body + key), and models refund rows, the `cancel` flag,
 * refund out_trade_no uniqueness (1102) and over-refund (1272).
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pythonJsonDumps, qfpaySignBody, qfpayTime, qfpayVerifyRequest, type QfpaySignType } from '../../../activities/providers/qfpay/signer.js';
import type { SandboxCall } from '../../faults.js';
import { answer, type SimReply } from '../../respond.js';
import type { ProviderSimulator, SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';

const newSyssn = (): string => `${qfpayTime(new Date()).replace(/\D/g, '').slice(0, 8)}${Array.from({ length: 18 }, () => randomInt(10)).join('')}`;

/** The payment row a query shows for an order in each sandbox state (qfpay.md §4.1, §10). */
function paymentRow(order: SandboxOrder): Record<string, string> {
  const [respcd, cancel] = ((): [string, string] => {
    switch (order.state) {
      case 'unpaid':
      case 'paying':
        return ['1143', '0'];
      case 'paid':
        return ['0000', '0'];
      case 'closed':
        return ['1142', '2'];
      case 'reversed':
        return order.reversedAfterPayment ? ['0000', '1'] : ['1263', '1'];
      case 'refunded':
        return ['0000', '3'];
      case 'partially_refunded':
        return ['0000', '5'];
      case 'expired':
        return ['1181', '0'];
      case 'failed':
        return ['1205', '0'];
    }
  })();
  return {
    syssn: order.providerOrderId,
    out_trade_no: order.orderId,
    order_type: 'payment',
    pay_type: order.payType,
    txamt: String(order.amount),
    txcurrcd: order.currency,
    txdtm: qfpayTime(order.createdAt),
    sysdtm: qfpayTime(order.createdAt),
    paydtm: order.paidAt ? qfpayTime(order.paidAt) : '',
    respcd,
    errmsg: respcd === '0000' ? 'success' : '',
    cancel,
  };
}

function refundRow(order: SandboxOrder, refund: SandboxRefund): Record<string, string> {
  return {
    syssn: refund.refundId,
    out_trade_no: refund.refundKey ?? '',
    origssn: order.providerOrderId,
    order_type: 'refund',
    pay_type: order.payType,
    txamt: String(refund.amount),
    txcurrcd: order.currency,
    txdtm: qfpayTime(refund.createdAt),
    respcd: refund.status === 'succeeded' ? '0000' : refund.status === 'processing' ? '1145' : '1205',
    cancel: '0',
  };
}

function register(app: FastifyInstance, ctx: SandboxContext): void {
  const { appCode, clientKey } = ctx.credentials.qfpay;
  const reply = (body: Record<string, unknown>, status = 200): SimReply => ({ status, headers: { 'content-type': 'application/json' }, body: pythonJsonDumps(body) });
  const sign = (r: SimReply, { corrupt }: { corrupt: boolean }): SimReply =>
    r.body ? { ...r, headers: { ...r.headers, 'x-qf-sign': qfpaySignBody(corrupt ? `${r.body} ` : r.body, clientKey) } } : r;
  const err = (respcd: string, resperr: string): SimReply => reply({ respcd, resperr, respmsg: '' });

  const paramsOf = (req: FastifyRequest): Record<string, string> =>
    req.method === 'GET' ? (req.query as Record<string, string>) : Object.fromEntries(new URLSearchParams(typeof req.body === 'string' ? req.body : ''));

  const route = (path: string, call: SandboxCall, handle: (p: Record<string, string>) => SimReply, methods: ('GET' | 'POST')[] = ['POST']) => {
    for (const method of methods) {
      app.route({
        method,
        url: `/trade/v1/${path}`,
        handler: async (req, res) => {
          const params = paramsOf(req);
          const signType = (String(req.headers['x-qf-signtype'] ?? 'MD5').toUpperCase() === 'SHA256' ? 'SHA256' : 'MD5') as QfpaySignType;
          await answer(res, ctx.faults, {
            provider: 'qfpay',
            call,
            sign,
            inProgress: (code) => err(code ?? '1145', '交易处理中'),
            handle: () => {
              if (req.headers['x-qf-appcode'] !== appCode) return err('1108', 'app code error');
              if (!qfpayVerifyRequest(params, clientKey, signType, req.headers['x-qf-sign'] as string | undefined)) return err('1108', '签名错误');
              return handle(params);
            },
          });
        },
      });
    }
  };

  const find = (p: Record<string, string>): SandboxOrder | undefined =>
    (p.syssn ? ctx.store.findByProviderOrderId('qfpay', p.syssn) : undefined) ?? (p.out_trade_no ? ctx.store.findByOrderId('qfpay', p.out_trade_no) : undefined);

  route('query', 'query', (p) => {
    if (!p.syssn && !p.out_trade_no && !(p.start_time && p.end_time)) return err('1104', 'syssn, out_trade_no or a time range is required');
    const order = find(p);
    if (order) {
      ctx.store.observe(order);
      return reply({ respcd: '0000', resperr: '请求成功', respmsg: '', page: '1', page_size: '10', data: [paymentRow(order), ...order.refunds.map((r) => refundRow(order, r))] });
    }
    const hit = ctx.store.findRefund('qfpay', (r) => (p.out_trade_no !== undefined && r.refundKey === p.out_trade_no) || (p.syssn !== undefined && r.refundId === p.syssn));
    if (hit) ctx.store.observeRefund(hit.order, hit.refund);
    return reply({ respcd: '0000', resperr: '请求成功', respmsg: '', page: '1', page_size: '10', data: hit ? [refundRow(hit.order, hit.refund)] : [] });
  });

  const cancel = (kind: 'reversal' | 'close') => (p: Record<string, string>): SimReply => {
    const order = find(p);
    if (!order) return err('1136', '交易不存在');
    if (String(order.amount) !== p.txamt) return err('1266', '金额错误');
    if (qfpayTime(order.createdAt) !== p.txdtm) return err('1267', '订单信息不匹配');
    const ok = (): SimReply => reply({ respcd: '0000', resperr: 'success', respmsg: '', syssn: newSyssn(), orig_syssn: order.providerOrderId, out_trade_no: order.orderId, txamt: String(order.amount), txcurrcd: order.currency, txdtm: p.txdtm, sysdtm: qfpayTime(new Date()), chnlsn: '' });
    switch (order.state) {
      case 'unpaid':
      case 'paying':
        if (kind === 'reversal') ctx.store.reverse(order);
        else ctx.store.close(order);
        return ok();
      case 'closed':
        return err('1264', '订单已关闭');
      case 'reversed':
        return err('1263', '订单已撤销');
      case 'refunded':
      case 'partially_refunded':
        return err('1262', '订单已退款');
      case 'expired':
        return err('1181', '订单已过期');
      default:
        // A paid wallet order is neither reversed nor closed: refund it (qfpay.md §5.1, versions B/C).
        return err('1297', '不支持撤销，请退款');
    }
  };
  route('reversal', 'reverse', cancel('reversal'));
  route('close', 'close', cancel('close'), ['GET', 'POST']);

  route('refund', 'refund', (p) => {
    if (!p.syssn || !p.out_trade_no || !p.txamt || !p.txdtm) return err('1104', 'syssn, out_trade_no, txamt and txdtm are required');
    const order = ctx.store.findByProviderOrderId('qfpay', p.syssn);
    if (!order) return err('1136', '交易不存在');
    // out_trade_no must be unique across every payment and refund of the merchant.
    const taken = ctx.store.findByOrderId('qfpay', p.out_trade_no) ?? ctx.store.findRefund('qfpay', (r) => r.refundKey === p.out_trade_no);
    if (taken) return err('1102', '重复请求');
    if (!['paid', 'partially_refunded'].includes(order.state)) return err('1155', '退款被拒绝');
    const amount = Number(p.txamt);
    if (!Number.isInteger(amount) || amount <= 0) return err('1104', 'txamt');
    if (amount > ctx.store.refundable(order)) return err('1272', '退款金额超过可退金额');
    const refund = ctx.store.addRefund(order, amount, { refundKey: p.out_trade_no });
    if (refund.status === 'processing') return err('1145', '退款处理中');
    return reply({ respcd: '0000', resperr: 'success', respmsg: '', syssn: refund.refundId, orig_syssn: order.providerOrderId, out_trade_no: p.out_trade_no, txamt: p.txamt, txcurrcd: order.currency, txdtm: p.txdtm, sysdtm: qfpayTime(new Date()) });
  });
}

export const qfpaySimulator: ProviderSimulator = {
  id: 'qfpay',
  identity: {
    defaultMerchantId: 'ZaMVg12345',
    defaultCurrency: 'HKD',
    defaultPayType: '800201',
    newProviderOrderId: newSyssn,
    newRefundId: newSyssn,
  },
  register,
  paymentNotification: (order, ctx) => {
    const body = pythonJsonDumps({
      status: '1',
      pay_type: order.payType,
      sysdtm: qfpayTime(order.createdAt),
      paydtm: order.paidAt ? qfpayTime(order.paidAt) : '',
      txcurrcd: order.currency,
      txdtm: qfpayTime(order.createdAt),
      mchid: order.merchantId,
      txamt: String(order.amount),
      out_trade_no: order.orderId,
      syssn: order.providerOrderId,
      cancel: '0',
      respcd: '0000',
      notify_type: 'payment',
    });
    return {
      provider: 'qfpay',
      orderId: order.orderId,
      headers: { 'content-type': 'application/json', 'x-qf-sign': qfpaySignBody(body, ctx.credentials.qfpay.clientKey) },
      body,
      isAck: (status, text) => status === 200 && text.trim() === 'SUCCESS',
    };
  },
  describe: (order) => ({ syssn: order.providerOrderId, out_trade_no: order.orderId, txamt: String(order.amount), txdtm: qfpayTime(order.createdAt), pay_type: order.payType }),
};
