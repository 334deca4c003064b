/**
 * What the WeChat Pay calls need from an OrderRef and a RefundRequest, checked before anything is
 * sent (docs/providers/wechatpay.md §5 field formats): a missing or malformed id is our mistake.
 */
import type { WechatpayConfig } from './config.js';
import { requestRejected } from '../../errors.js';
import type { OrderRef, RefundRequest } from '../../../domain/index.js';
import type { WechatExpected } from './mapper.js';

const OUT_TRADE_NO = /^[0-9A-Za-z_\-*]{1,32}$/;
const MCHID = /^[0-9A-Za-z_-]{1,32}$/;
const TRANSACTION_ID = /^[0-9A-Za-z]{1,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

/** The ids of the order as WeChat must answer them; throws requestRejected naming the field to fix. */
export function expectedOf(config: WechatpayConfig, order: OrderRef, call: string): WechatExpected {
  if (!MCHID.test(order.merchantId ?? '')) {
    throw requestRejected(
      'wechatpay',
      call,
      'OrderRef.merchantId must be the sub_mchid (special merchant id) of the order',
    );
  }
  if (!OUT_TRADE_NO.test(order.orderId ?? '')) {
    throw requestRejected('wechatpay', call, 'OrderRef.orderId must be the out_trade_no: 1-32 of [0-9A-Za-z_-*]');
  }
  const transactionId = order.providerOrderId || undefined;
  if (transactionId !== undefined && !TRANSACTION_ID.test(transactionId)) {
    throw requestRejected(
      'wechatpay',
      call,
      'OrderRef.providerOrderId must be the transaction_id (up to 32 letters and digits), or be left out',
    );
  }
  return {
    spMchid: config.spMchid,
    subMchid: order.merchantId,
    orderId: order.orderId,
    transactionId,
    amount: order.amount,
  };
}

/** The refund key as out_refund_no (§5.6: string(64), [0-9A-Za-z_-|*@]). */
export function checkRefundKey(refundKey: string, call: string): string {
  if (!OUT_REFUND_NO.test(refundKey ?? ''))
    throw requestRejected('wechatpay', call, 'the refund key (out_refund_no) must be 1-64 of [0-9A-Za-z_-|*@]');
  return refundKey;
}

/** The refund body's amount block; domestic refunds are CNY only (§5.6). */
export function refundAmount(
  order: OrderRef,
  refund: RefundRequest,
): { refund: number; total: number; currency: 'CNY' } {
  const positive = (n: number) => Number.isSafeInteger(n) && n > 0;
  if (!positive(refund.amount))
    throw requestRejected('wechatpay', 'refund', `refund amount ${refund.amount} is not a positive number of fen`);
  if (!positive(refund.totalAmount) || refund.totalAmount < refund.amount) {
    throw requestRejected(
      'wechatpay',
      'refund',
      `totalAmount ${refund.totalAmount} must be the order total in fen, at least the refund amount`,
    );
  }
  const currency = (order.currency ?? 'CNY').toUpperCase();
  if (currency !== 'CNY')
    throw requestRejected('wechatpay', 'refund', `domestic refunds are in CNY only (order currency ${order.currency})`);
  return { refund: refund.amount, total: refund.totalAmount, currency: 'CNY' };
}

/** The refund reason: at most 80 characters, without 4-byte UTF-8 characters WeChat refuses (§1). */
export function refundReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const kept = Array.from(reason.replace(/[\u{10000}-\u{10FFFF}]/gu, ''))
    .slice(0, 80)
    .join('');
  return kept === '' ? undefined : kept;
}
