// Over 250 lines: every WeChat Pay answer (5 calls, signed and unsigned) gets its meaning here and nowhere else.
/**
 * The only place a WeChat Pay answer gets its meaning (docs/providers/wechatpay.md §5–§7).
 *
 * Trust first: a 2xx must carry a verifying Wechatpay-Signature; an answer whose signature is
 * present but wrong is never read. Whether WeChat signs error answers is unconfirmed (§3.5), so an
 * unsigned error is believed only where believing it concludes nothing about money (our mistake,
 * rate limit, system error, USERPAYING). Then relevance: a verified answer about another order,
 * merchant, refund or amount is not read as ours.
 */
import { inProgress, rateLimited, requestRejected, transient, untrustedResponse } from '../../errors.js';
import type {
  CancelResult,
  Observation,
  ObservedFacts,
  RefundObservation,
  RefundResult,
} from '../../../domain/index.js';
import type { WechatAnswer, WechatCall } from './client.js';
import { BELIEVED_UNSIGNED, classOf, CODES, REFUND_ABNORMAL_ACTION } from './codes.js';
import { WechatError, WechatRefund, WechatReverse, WechatTransaction } from './wire.js';

/** USERPAYING / HTTP 202: ask again after this long (§5.4: the payer gets 5–10 s between checks). */
export const WECHATPAY_IN_PROGRESS_RETRY_MS = 10_000;
/** A refund answered RESOURCE_NOT_EXISTS right after payment: retry the same out_refund_no after this long (§7.3). */
export const WECHATPAY_NOT_YET_VISIBLE_RETRY_MS = 5_000;

/** The order an answer must be about. */
export interface WechatExpected {
  spMchid: string;
  subMchid: string;
  orderId: string;
  transactionId?: string;
  amount?: number;
}

/** An answer after the trust check: verified success, a believable error, or not to be read. */
export type Judged =
  | { kind: 'ok'; status: number; json: unknown }
  | { kind: 'error'; status: number; code: string; message: string }
  | { kind: 'untrusted'; reason: string; providerCode: string };

type Unknown = Extract<Observation, { status: 'unknown' }>;
const unknown = (reason: string, providerCode: string, facts: Partial<ObservedFacts> = {}): Unknown => ({
  ...facts,
  status: 'unknown',
  reason,
  providerCode,
});

/**
 * Decide whether an answer may be read. Our mistakes, rate limits and system errors are thrown
 * here, for every call alike.
 */
export function judge(call: WechatCall, answer: WechatAnswer): Judged {
  const sig = answer.signature;
  if (!sig.valid && !sig.missing) return { kind: 'untrusted', reason: sig.reason, providerCode: 'signature_invalid' };
  if (answer.status >= 200 && answer.status < 300) {
    if (!sig.valid)
      return { kind: 'untrusted', reason: `HTTP ${answer.status}: ${sig.reason}`, providerCode: 'signature_missing' };
    if (answer.unreadable) return { kind: 'untrusted', reason: answer.unreadable, providerCode: 'unreadable' };
    return { kind: 'ok', status: answer.status, json: answer.json };
  }
  const parsed = WechatError.safeParse(answer.json);
  if (!parsed.success)
    return {
      kind: 'untrusted',
      reason: `HTTP ${answer.status} without an error body`,
      providerCode: `HTTP_${answer.status}`,
    };
  const { code } = parsed.data;
  const message = parsed.data.message ?? CODES[code]?.meaning ?? '';
  const cls = classOf(code);
  const details = { httpStatus: answer.status, providerCode: code };
  if (cls === 'our_mistake')
    throw requestRejected('wechatpay', call, `HTTP ${answer.status} ${code}: ${message}`, details);
  if (cls === 'rate_limited') throw rateLimited('wechatpay', call);
  if (cls === 'transient') throw transient('wechatpay', call, `HTTP ${answer.status} ${code}: ${message}`, details);
  if (!sig.valid && !(cls && BELIEVED_UNSIGNED.has(cls))) {
    return {
      kind: 'untrusted',
      reason: `unsigned HTTP ${answer.status} ${code} cannot be believed`,
      providerCode: code,
    };
  }
  return { kind: 'error', status: answer.status, code, message };
}

/** A partner order query (§5.1/§5.2) → Observation. */
export function mapQuery(answer: WechatAnswer, expected: WechatExpected): Observation {
  const j = judge('query', answer);
  if (j.kind === 'untrusted') return unknown(j.reason, j.providerCode);
  if (j.kind === 'error') {
    if (classOf(j.code) === 'not_found') return { status: 'not_found', providerCode: j.code };
    return unknown(`query answered HTTP ${j.status} ${j.code}: ${j.message}`, j.code);
  }
  if (j.status !== 200) return unknown(`query answered HTTP ${j.status}`, `HTTP_${j.status}`);
  const parsed = WechatTransaction.safeParse(j.json);
  if (!parsed.success) return unknown('transaction has unexpected fields', 'unparseable');
  return observeTransaction(parsed.data, expected);
}

/** What a verified transaction says about our order (§6.1). */
export function observeTransaction(t: WechatTransaction, expected: WechatExpected): Observation {
  const facts: ObservedFacts = {
    providerCode: `trade_state=${t.trade_state}`,
    providerOrderId: t.transaction_id,
    amount: t.amount?.total,
    payType: t.trade_type,
    paidAt: t.success_time,
  };
  const other = notOurs(t, expected);
  if (other) return unknown(`the answer is about ${other}`, 'other_order', facts);
  if (expected.amount !== undefined && facts.amount !== undefined && facts.amount !== expected.amount) {
    return unknown(
      `amount.total ${facts.amount} differs from the order amount ${expected.amount}`,
      'amount_mismatch',
      facts,
    );
  }
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
      // Only a paid order has a success_time: its reversal sent the money back (§5.4).
      return { status: 'closed', reason: 'reversed', ...facts, reversedAfterPayment: t.success_time !== undefined };
    case 'PAYERROR':
      return { status: 'closed', reason: 'failed', ...facts };
    case 'REFUND':
      // A refund exists, but the query does not say how much: never read it as a full refund.
      return { status: 'refunded', refundedAmount: 0, full: false, ...facts };
    default:
      return unknown(`unrecognised trade_state ${t.trade_state}`, facts.providerCode, facts);
  }
}

/** Which other order or merchant a transaction names, or undefined when it is ours. */
function notOurs(
  t: { sp_mchid?: string; sub_mchid?: string; out_trade_no?: string; transaction_id?: string },
  e: WechatExpected,
): string | undefined {
  if (t.out_trade_no !== undefined && t.out_trade_no !== e.orderId)
    return `out_trade_no ${t.out_trade_no}, not ${e.orderId}`;
  if (t.sub_mchid !== undefined && t.sub_mchid !== e.subMchid) return `sub_mchid ${t.sub_mchid}, not ${e.subMchid}`;
  if (t.sp_mchid !== undefined && t.sp_mchid !== e.spMchid) return `sp_mchid ${t.sp_mchid}, not ${e.spMchid}`;
  if (t.transaction_id !== undefined && e.transactionId !== undefined && t.transaction_id !== e.transactionId) {
    return `transaction_id ${t.transaction_id}, not ${e.transactionId}`;
  }
  return undefined;
}

/** Close (§5.3) or reverse (§5.4) → CancelResult. */
export function mapCancel(call: 'close' | 'reverse', answer: WechatAnswer, expected: WechatExpected): CancelResult {
  const j = judge(call, answer);
  if (j.kind === 'untrusted') throw untrustedResponse('wechatpay', call, j.reason);
  if (j.kind === 'error') {
    const cls = classOf(j.code);
    if (cls === 'in_progress') throw inProgress('wechatpay', call, j.code, WECHATPAY_IN_PROGRESS_RETRY_MS);
    if (cls === 'closed') return { result: 'already', providerCode: j.code, message: j.message };
    // Paid (refund instead), not found, past the window, refunded, or a code we do not know: a "no".
    return { result: 'rejected', providerCode: j.code, message: j.message };
  }
  // 202: accepted, not processed; the same request must be sent again (§7.2).
  if (j.status === 202) throw inProgress('wechatpay', call, 'HTTP_202', WECHATPAY_IN_PROGRESS_RETRY_MS);
  if (call === 'close') {
    // 204 even for an unknown or already closed order (§5.3): the caller confirms by query.
    if (j.status === 204 || j.status === 200) return { result: 'done', providerCode: `HTTP_${j.status}` };
    throw untrustedResponse('wechatpay', call, `unexpected HTTP ${j.status}`);
  }
  if (j.status !== 200) throw untrustedResponse('wechatpay', call, `unexpected HTTP ${j.status}`);
  const parsed = WechatReverse.safeParse(j.json);
  if (!parsed.success) throw untrustedResponse('wechatpay', call, 'reverse answer has unexpected fields');
  const other = notOurs(parsed.data, expected);
  if (other) throw untrustedResponse('wechatpay', call, `the answer is about ${other}`);
  return { result: 'done', providerCode: 'HTTP_200' };
}

/** What a refund must be: ours by key, order and amount. */
export interface RefundExpected {
  order: WechatExpected;
  refundKey: string;
  amount?: number;
}

/** Refund create (§5.6) → RefundResult. Only a refund object with our key, order and amount counts. */
export function mapRefund(answer: WechatAnswer, expected: RefundExpected & { amount: number }): RefundResult {
  const j = judge('refund', answer);
  if (j.kind === 'untrusted') throw untrustedResponse('wechatpay', 'refund', j.reason);
  if (j.kind === 'error') {
    const cls = classOf(j.code);
    if (cls === 'in_progress') throw inProgress('wechatpay', 'refund', j.code, WECHATPAY_IN_PROGRESS_RETRY_MS);
    // Right after payment WeChat may not see the order yet (§7.3): retry with the same out_refund_no.
    if (cls === 'not_found') {
      throw transient('wechatpay', 'refund', `HTTP ${j.status} ${j.code}: ${j.message}`, {
        httpStatus: j.status,
        providerCode: j.code,
        retryAfterMs: WECHATPAY_NOT_YET_VISIBLE_RETRY_MS,
      });
    }
    return { result: 'rejected', providerCode: j.code, message: j.message };
  }
  if (j.status === 202) throw inProgress('wechatpay', 'refund', 'HTTP_202', WECHATPAY_IN_PROGRESS_RETRY_MS);
  const r = readRefund('refund', j, expected);
  const base = { providerCode: `status=${r.status}`, refundId: r.refund_id };
  // The key was used before for another amount: that refund is not the one asked for.
  if (r.amount.refund !== expected.amount) {
    return {
      result: 'rejected',
      ...base,
      message: `out_refund_no ${expected.refundKey} already names a refund of ${r.amount.refund}, not ${expected.amount}`,
    };
  }
  switch (r.status) {
    case 'SUCCESS':
      return { result: 'succeeded', ...base };
    case 'PROCESSING':
      return { result: 'accepted', ...base };
    case 'ABNORMAL':
      // The query that confirms it reads it as failed, with what to do.
      return { result: 'accepted', ...base, message: REFUND_ABNORMAL_ACTION };
    case 'CLOSED':
      return {
        result: 'rejected',
        ...base,
        message: 'refund closed: top up, then refund again with a new out_refund_no',
      };
    default:
      throw untrustedResponse('wechatpay', 'refund', `unrecognised refund status ${r.status}`);
  }
}

/** Refund query (§5.7) → RefundObservation. */
export function mapRefundQuery(answer: WechatAnswer, expected: RefundExpected): RefundObservation {
  const j = judge('queryRefund', answer);
  if (j.kind === 'untrusted') throw untrustedResponse('wechatpay', 'queryRefund', j.reason);
  if (j.kind === 'error') {
    if (classOf(j.code) === 'not_found') return { status: 'not_found', providerCode: j.code };
    throw untrustedResponse('wechatpay', 'queryRefund', `unexpected answer HTTP ${j.status} ${j.code}`);
  }
  const r = readRefund('queryRefund', j, expected);
  const base = { providerCode: `status=${r.status}`, refundId: r.refund_id, amount: r.amount.refund };
  switch (r.status) {
    case 'SUCCESS':
      return { status: 'succeeded', ...base };
    case 'PROCESSING':
      return { status: 'processing', ...base };
    case 'ABNORMAL':
      // No money reached the payer, and only a person can change that (§6.2): it ends here, with what to do.
      return { status: 'failed', ...base, providerCode: REFUND_ABNORMAL_ACTION };
    case 'CLOSED':
      return { status: 'failed', ...base };
    default:
      throw untrustedResponse('wechatpay', 'queryRefund', `unrecognised refund status ${r.status}`);
  }
}

/** The refund object of a verified 200, checked to be the refund asked about. */
function readRefund(
  call: 'refund' | 'queryRefund',
  j: Extract<Judged, { kind: 'ok' }>,
  expected: RefundExpected,
): WechatRefund {
  if (j.status !== 200) throw untrustedResponse('wechatpay', call, `unexpected HTTP ${j.status}`);
  const parsed = WechatRefund.safeParse(j.json);
  if (!parsed.success) throw untrustedResponse('wechatpay', call, 'refund has unexpected fields');
  const r = parsed.data;
  if (r.out_refund_no !== expected.refundKey)
    throw untrustedResponse(
      'wechatpay',
      call,
      `the answer is about out_refund_no ${r.out_refund_no}, not ${expected.refundKey}`,
    );
  const other = notOurs({ out_trade_no: r.out_trade_no, transaction_id: r.transaction_id }, expected.order);
  // Our key on another order's refund: keys must be unique per merchant, so the key is wrong.
  if (other)
    throw requestRejected(
      'wechatpay',
      call,
      `out_refund_no ${expected.refundKey} belongs to a refund of ${other}: use a refund key unique to this order`,
      { providerCode: 'other_order' },
    );
  return r;
}
