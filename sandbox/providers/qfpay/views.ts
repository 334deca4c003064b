/**
 * How QFPay writes an order: its 26-digit syssn, Hong Kong times, and the rows a query returns
 * for payments and refunds (docs/providers/qfpay.md §4, §4.1, §10).
 */
import { randomInt } from 'node:crypto';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');

/** `YYYY-MM-DD hh:mm:ss`, Hong Kong time (UTC+8, no daylight saving). */
export const hkTime = (d: Date): string =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
const hkDate = (): string => hkTime(settings.now()).slice(0, 10).replace(/-/g, '');

/** Like 20191227000200020061752831: the date, a channel block, then a serial. */
export const newPaymentSyssn = (): string => `${hkDate()}0002000${digits(11)}`;
/** Refund transactions carry 0003 where payments carry 0002 (sample in §5.4). */
export const newRefundSyssn = (): string => `${hkDate()}0003000${digits(11)}`;

/** The refund's out_trade_no. Refunds the sandbox made up (pre-existing state) get one too. */
export const refundOutTradeNo = (refund: SandboxRefund): string =>
  refund.refundKey && refund.refundKey !== 'preexisting' ? refund.refundKey : `RF${refund.refundId}`;

/** Whether money ever came in for this order. */
export const wasPaid = (o: SandboxOrder): boolean =>
  o.state === 'paid' ||
  o.state === 'refunded' ||
  o.state === 'partially_refunded' ||
  (o.state === 'reversed' && o.reversedAfterPayment);

/** The payment row's respcd and cancel flag for each state (§4.1 newest meanings, §10). */
export function paymentStatus(order: SandboxOrder): { respcd: string; cancel: string } {
  switch (order.state) {
    case 'unpaid':
      return { respcd: '1143', cancel: '0' };
    case 'paying':
      return { respcd: '1145', cancel: '0' };
    case 'paid':
      return { respcd: '0000', cancel: '0' };
    case 'closed':
      return { respcd: '1142', cancel: '2' };
    case 'reversed':
      // A reversed payment keeps 0000 with cancel 1 (2017 samples); an unpaid one reads "cancelled".
      return order.reversedAfterPayment ? { respcd: '0000', cancel: '1' } : { respcd: '1263', cancel: '1' };
    case 'refunded':
      return { respcd: '0000', cancel: '3' };
    case 'partially_refunded':
      return { respcd: '0000', cancel: '5' };
    case 'expired':
      return { respcd: '1181', cancel: '0' };
    case 'failed':
      return { respcd: '1205', cancel: '0' };
  }
}

const ERRMSG: Record<string, string> = {
  '0000': '交易成功',
  '1143': '交易未支付',
  '1145': '交易处理中',
  '1142': '订单已关闭',
  '1263': '订单已撤销',
  '1181': '订单已过期',
  '1205': '交易失败',
};

/** A payment row; `respcd` overrides the state's code (the in_progress fault). */
export function paymentRow(order: SandboxOrder, respcd?: string): Record<string, string> {
  const status = paymentStatus(order);
  const code = respcd ?? status.respcd;
  return {
    cancel: respcd ? '0' : status.cancel,
    pay_type: order.payType,
    order_type: 'payment',
    out_trade_no: order.orderId,
    syssn: order.providerOrderId,
    sysdtm: hkTime(order.createdAt),
    paydtm: wasPaid(order) && order.paidAt && !respcd ? hkTime(order.paidAt) : '',
    txcurrcd: order.currency,
    txamt: String(order.amount),
    txdtm: hkTime(order.createdAt),
    respcd: code,
    errmsg: ERRMSG[code] ?? '',
    chnlsn: '',
    chnlsn2: '',
  };
}

export const refundRespcd = (refund: SandboxRefund): string =>
  refund.status === 'succeeded' ? '0000' : refund.status === 'processing' ? '1145' : '1205';

/** A refund row: its own syssn and out_trade_no, origssn naming the payment (§4). */
export function refundRow(order: SandboxOrder, refund: SandboxRefund, respcd?: string): Record<string, string> {
  const code = respcd ?? refundRespcd(refund);
  return {
    cancel: '0',
    pay_type: order.payType,
    order_type: 'refund',
    out_trade_no: refundOutTradeNo(refund),
    syssn: refund.refundId,
    origssn: order.providerOrderId,
    sysdtm: hkTime(refund.createdAt),
    paydtm: refund.succeededAt ? hkTime(refund.succeededAt) : '',
    txcurrcd: order.currency,
    txamt: String(refund.amount),
    txdtm: String(refund.extra.txdtm ?? hkTime(refund.createdAt)),
    respcd: code,
    errmsg: code === '0000' ? '退款成功' : (ERRMSG[code] ?? ''),
  };
}

/** The identifiers QFPay returns when a payment is created (§3, payment responses). */
export const creationView = (order: SandboxOrder): Record<string, unknown> => ({
  syssn: order.providerOrderId,
  out_trade_no: order.orderId,
  pay_type: order.payType,
  txamt: String(order.amount),
  txcurrcd: order.currency,
  txdtm: hkTime(order.createdAt),
  sysdtm: hkTime(order.createdAt),
});
