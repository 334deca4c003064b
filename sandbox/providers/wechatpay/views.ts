/**
 * How WeChat Pay writes orders and refunds (docs/providers/wechatpay.md §5.1, §5.6, §6): partner
 * Transaction and Refund objects, RFC 3339 Beijing times, 28-digit transaction ids.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { SandboxCredentials } from '../../credentials.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { wechatpaySandboxSettings as settings } from './settings.js';

type Account = SandboxCredentials['wechatpay'];

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');

/** Like 4200000985202103031441826014. */
export const newTransactionId = (): string => `42000${digits(23)}`;
/** Like 50000000382019052709732678859. */
export const newRefundId = (): string => `50300${digits(24)}`;
export const newNonce = (): string => randomBytes(16).toString('hex');
export const newRequestId = (): string => `08${randomBytes(14).toString('hex').toUpperCase()}`;

/** RFC 3339 in Beijing time, e.g. 2018-06-08T10:34:56+08:00 (§1). */
export const rfc3339 = (d: Date): string => `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;

/** The refund's out_refund_no; refunds the sandbox made up (pre-existing state) get one too. */
export const outRefundNo = (refund: SandboxRefund): string =>
  refund.refundKey && refund.refundKey !== 'preexisting' ? refund.refundKey : `RF${refund.refundId}`;

const DESC: Record<string, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
  REVOKED: '已撤销（付款码支付）',
  USERPAYING: '用户支付中（付款码支付）',
  PAYERROR: '支付失败',
};

/** trade_state of an order (§6.1). */
export function tradeState(order: SandboxOrder): string {
  switch (order.state) {
    case 'unpaid':
      return 'NOTPAY';
    case 'paying':
      return 'USERPAYING';
    case 'paid':
      return 'SUCCESS';
    case 'closed':
    case 'expired':
      return 'CLOSED';
    case 'reversed':
      return order.reversedAfterPayment && settings.paidReverseShowsAs === 'REFUND' ? 'REFUND' : 'REVOKED';
    case 'refunded':
    case 'partially_refunded':
      return 'REFUND';
    case 'failed':
      return 'PAYERROR';
  }
}

/** The partner Transaction (§5.1); `state` overrides the order's trade_state (the in_progress fault). */
export function transactionView(
  order: SandboxOrder,
  account: Account,
  state = tradeState(order),
): Record<string, unknown> {
  const paid = order.paidAt !== undefined && state !== 'USERPAYING';
  return {
    sp_appid: account.spAppid,
    sp_mchid: account.spMchid,
    sub_mchid: order.merchantId,
    out_trade_no: order.orderId,
    ...(paid ? { transaction_id: order.providerOrderId } : {}),
    trade_type: order.payType,
    trade_state: state,
    trade_state_desc: DESC[state] ?? state,
    ...(paid
      ? {
          bank_type: 'OTHERS',
          success_time: rfc3339(order.paidAt!),
          payer: { sp_openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
        }
      : {}),
    amount: paid
      ? { total: order.amount, payer_total: order.amount, currency: order.currency, payer_currency: order.currency }
      : { total: order.amount, currency: order.currency },
  };
}

/** The refund status of a sandbox refund (§6.2). */
export const refundStatus = (refund: SandboxRefund): string =>
  refund.status === 'succeeded' ? 'SUCCESS' : refund.status === 'processing' ? 'PROCESSING' : 'CLOSED';

/** The Refund object (§5.6); `status` overrides its status (the in_progress fault). */
export function refundView(
  order: SandboxOrder,
  refund: SandboxRefund,
  status = refundStatus(refund),
): Record<string, unknown> {
  return {
    refund_id: refund.refundId,
    out_refund_no: outRefundNo(refund),
    transaction_id: order.providerOrderId,
    out_trade_no: order.orderId,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(status === 'SUCCESS' && refund.succeededAt ? { success_time: rfc3339(refund.succeededAt) } : {}),
    create_time: rfc3339(refund.createdAt),
    status,
    funds_account: 'AVAILABLE',
    amount: {
      total: order.amount,
      refund: refund.amount,
      from: [],
      payer_total: order.amount,
      payer_refund: refund.amount,
      settlement_refund: refund.amount,
      settlement_total: order.amount,
      discount_refund: 0,
      currency: order.currency,
    },
    promotion_detail: [],
  };
}

/** What creating the order returned (§5.5 and the prepay APIs), for the admin API. */
export function creationView(order: SandboxOrder): Record<string, unknown> {
  const base = { sub_mchid: order.merchantId, out_trade_no: order.orderId, trade_type: order.payType };
  switch (order.payType) {
    case 'NATIVE':
      return { ...base, code_url: `weixin://wxpay/bizpayurl?pr=${order.providerOrderId.slice(-7)}` };
    case 'JSAPI':
    case 'APP':
      return { ...base, prepay_id: `wx${order.providerOrderId.slice(-26)}` };
    case 'MWEB':
      return {
        ...base,
        h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx${order.providerOrderId.slice(-26)}`,
      };
    default:
      // Codepay answers with the transaction itself; its transaction_id exists once paid.
      return { ...base, ...(order.paidAt ? { transaction_id: order.providerOrderId } : {}) };
  }
}
