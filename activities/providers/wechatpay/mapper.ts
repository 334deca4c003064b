/**
 * The only place a WeChat Pay answer gets its meaning (wechatpay-v3-partner.md §6–§7).
 * Only verified answers are read: an unverified one is `unknown` on a query and an
 * untrusted-response failure on a write.
 */
import { inProgress, requestRejected, transient, untrustedResponse } from '../../errors.js';
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../provider.js';
import type { WechatAnswer } from './client.js';
import { WechatError, WechatRefund, WechatTransaction } from './wire.js';

/** Codes that mean our request is wrong: retrying cannot help (§7.4 "permanent"). */
const OUR_MISTAKE = new Set(['PARAM_ERROR', 'INVALID_REQUEST', 'SIGN_ERROR', 'APPID_MCHID_NOT_MATCH', 'MCH_NOT_EXISTS', 'NO_AUTH', 'OUT_TRADE_NO_USED']);
const TRANSIENT = new Set(['SYSTEM_ERROR', 'BANK_ERROR', 'SERVICE_UNAVAILABLE']);

const errorOf = (answer: WechatAnswer): { code: string; message?: string } => {
  const parsed = WechatError.safeParse(answer.body);
  return parsed.success ? parsed.data : { code: `HTTP_${answer.status}` };
};

/** Failures every call shares: our mistakes, transient errors, 202 (repeat the same request). */
function throwCommon(call: string, answer: WechatAnswer): void {
  if (answer.status === 202) throw transient('wechatpay', call, 'HTTP 202: accepted, not processed yet', { httpStatus: 202 });
  if (answer.status < 400) return;
  const { code, message } = errorOf(answer);
  if (OUR_MISTAKE.has(code)) throw requestRejected('wechatpay', call, `${code}: ${message ?? ''}`, { httpStatus: answer.status, providerCode: code });
  if (TRANSIENT.has(code)) throw transient('wechatpay', call, `${code}: ${message ?? ''}`, { httpStatus: answer.status, providerCode: code });
}

export function mapQuery(answer: WechatAnswer): Observation {
  if (answer.untrusted) return { status: 'unknown', reason: answer.untrusted, providerCode: `HTTP ${answer.status}` };
  throwCommon('query', answer);
  if (answer.status === 404) return { status: 'not_found', providerCode: errorOf(answer).code };
  if (answer.status !== 200) return { status: 'unknown', reason: `HTTP ${answer.status} ${errorOf(answer).code}`, providerCode: errorOf(answer).code };
  const parsed = WechatTransaction.safeParse(answer.body);
  if (!parsed.success) return { status: 'unknown', reason: 'unexpected transaction fields', providerCode: 'parse' };
  const t = parsed.data;
  const facts = { providerOrderId: t.transaction_id, amount: t.amount?.total, payType: t.trade_type, paidAt: t.success_time, providerCode: `trade_state=${t.trade_state}` };
  switch (t.trade_state) {
    case 'SUCCESS':
      return { status: 'paid', ...facts };
    case 'NOTPAY':
      return { status: 'unpaid', ...facts };
    case 'USERPAYING':
      return { status: 'paying', ...facts };
    case 'CLOSED':
      return { status: 'closed', reason: 'closed', ...facts };
    case 'REVOKED':
      return { status: 'closed', reason: 'reversed', ...facts };
    case 'PAYERROR':
      return { status: 'closed', reason: 'failed', ...facts };
    case 'REFUND':
      // A refund exists, but the query does not say how much: never read it as a full refund.
      return { status: 'refunded', refundedAmount: 0, full: false, ...facts };
    default:
      return { status: 'unknown', reason: `unrecognised trade_state ${t.trade_state}`, ...facts };
  }
}

export function mapClose(answer: WechatAnswer): CancelResult {
  if (answer.untrusted) throw untrustedResponse('wechatpay', 'close', answer.untrusted);
  throwCommon('close', answer);
  // 204 even for an unknown or already closed order (§5.3): the caller confirms by query.
  if (answer.status === 204 || answer.status === 200) return { result: 'done', providerCode: `HTTP ${answer.status}` };
  const { code, message } = errorOf(answer);
  if (code === 'ORDER_CLOSED') return { result: 'already', providerCode: code, message };
  return { result: 'rejected', providerCode: code, message };
}

export function mapReverse(answer: WechatAnswer): CancelResult {
  if (answer.untrusted) throw untrustedResponse('wechatpay', 'reverse', answer.untrusted);
  throwCommon('reverse', answer);
  if (answer.status === 200) return { result: 'done', providerCode: 'HTTP 200' };
  const { code, message } = errorOf(answer);
  // The payer is still entering the password: reverse again shortly (§5.4).
  if (code === 'USERPAYING') throw inProgress('wechatpay', 'reverse', code, 10_000);
  if (code === 'ORDER_CLOSED' || code === 'ORDER_REVOKED') return { result: 'already', providerCode: code, message };
  return { result: 'rejected', providerCode: code, message };
}

export function mapRefund(answer: WechatAnswer): RefundResult {
  if (answer.untrusted) throw untrustedResponse('wechatpay', 'refund', answer.untrusted);
  throwCommon('refund', answer);
  if (answer.status === 200) {
    const parsed = WechatRefund.safeParse(answer.body);
    if (!parsed.success) throw untrustedResponse('wechatpay', 'refund', 'unexpected refund fields');
    const r = parsed.data;
    const base = { providerCode: `status=${r.status}`, refundId: r.refund_id };
    if (r.status === 'SUCCESS') return { result: 'succeeded', ...base };
    if (r.status === 'CLOSED') return { result: 'rejected', ...base, message: 'refund closed: top up and retry with a new out_refund_no' };
    return { result: 'accepted', ...base };
  }
  const { code, message } = errorOf(answer);
  // Right after payment WeChat may not see the order yet (§7.3): retry with the same out_refund_no.
  if (code === 'RESOURCE_NOT_EXISTS') throw transient('wechatpay', 'refund', `${code}: ${message ?? ''}`, { httpStatus: answer.status, providerCode: code });
  return { result: 'rejected', providerCode: code, message };
}

export function mapRefundQuery(answer: WechatAnswer): RefundObservation {
  if (answer.untrusted) throw untrustedResponse('wechatpay', 'queryRefund', answer.untrusted);
  throwCommon('queryRefund', answer);
  if (answer.status === 404) return { status: 'not_found', providerCode: errorOf(answer).code };
  const parsed = WechatRefund.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) throw untrustedResponse('wechatpay', 'queryRefund', `unexpected answer HTTP ${answer.status}`);
  const r = parsed.data;
  const base = { providerCode: `status=${r.status}`, refundId: r.refund_id, amount: r.amount?.refund };
  if (r.status === 'SUCCESS') return { status: 'succeeded', ...base };
  if (r.status === 'CLOSED') return { status: 'failed', ...base };
  // PROCESSING, and ABNORMAL (not final: fixed on the platform), and anything new.
  return { status: 'processing', ...base };
}
