// Over 250 lines: QFPay has about 54 respcd codes read differently by query, cancel and refund; keeping them in one mapper is the point.
/**
 * The only place a QFPay answer gets its meaning (docs/providers/qfpay.md §4–§6).
 *
 * A query's outer respcd only says the call worked; the payment's state is its row's respcd plus
 * its `cancel` flag, and refund rows (order_type "refund", origssn = the payment's syssn) say how
 * much went back (§4, §4.1, gotcha G1). "Paid and still kept" is exactly: row 0000, cancel 0, no
 * refund rows. Money is only ever counted from refund rows; a flag that says money went back
 * without rows to count is reported as a refund of unknown size, never as a full one.
 */
import { inProgress, requestRejected, transient, untrustedResponse } from '../../errors.js';
import type {
  CancelResult,
  Observation,
  ObservedFacts,
  RefundObservation,
  RefundRequest,
  RefundResult,
} from '../../../domain/index.js';
import type { QfpayAnswer } from './client.js';
import { classOf, OUR_MISTAKE, RESPCD } from './codes.js';
import { qfpayTimeToIso } from './time.js';
import { QfpayEnvelope, QfpayQueryResponse, QfpayWriteResponse, type QfpayRow } from './wire.js';

/** How soon a write answered "in progress" is tried again (Temporal nextRetryDelay). */
export const QFPAY_IN_PROGRESS_RETRY_MS = 5_000;

/** The order an answer must be about. */
export interface QfpayExpected {
  orderId: string;
  /** The payment's syssn when known. */
  syssn?: string;
  amount?: number;
}

type Unknown = Extract<Observation, { status: 'unknown' }>;
export type QueryRead = { ok: true; rows: QfpayRow[] } | { ok: false; observation: Unknown };

const unknown = (reason: string, providerCode: string, facts: Partial<Unknown> = {}): Unknown => ({
  ...facts,
  status: 'unknown',
  reason,
  providerCode,
});
const meaning = (respcd: string): string => RESPCD[respcd]?.meaning ?? 'unrecognised respcd';
const hinted = (hint: string | undefined): string => (hint ? ` (${hint})` : '');
const said = (r: { respcd: string; resperr?: string | null; respmsg?: string | null }): string =>
  r.resperr || r.respmsg || meaning(r.respcd);

export const isRefundRow = (r: QfpayRow): boolean =>
  r.order_type === 'refund' || (r.order_type === undefined && r.origssn !== undefined);
const isPaymentRow = (r: QfpayRow): boolean =>
  r.order_type === 'payment' || (r.order_type === undefined && r.origssn === undefined);

/**
 * Read a /trade/v1/query answer down to its rows. An answer that is unreadable, unsigned,
 * mis-signed or carries an outer code we do not know is an `unknown` observation; transient
 * codes and our own mistakes are thrown.
 */
export function readQuery(call: string, answer: QfpayAnswer): QueryRead {
  if (!answer.readable)
    return { ok: false, observation: unknown(`query answer unreadable: ${answer.why}`, 'unreadable') };
  const envelope = QfpayEnvelope.safeParse(answer.json);
  if (!envelope.success) return { ok: false, observation: unknown('query answer has no respcd', 'unparseable') };
  const { respcd } = envelope.data;
  const cls = classOf(respcd);
  if (cls && OUR_MISTAKE.has(cls)) throw ourMistake(call, envelope.data, answer.signature);
  if (answer.signature !== 'valid') {
    const reason = `query answer signature ${answer.signature}${hinted(answer.hint)}`;
    return { ok: false, observation: unknown(reason, `signature_${answer.signature}`) };
  }
  if (cls === 'transient')
    throw transient('qfpay', call, `respcd ${respcd}: ${said(envelope.data)}`, { providerCode: respcd });
  if (cls === 'not_found') return { ok: true, rows: [] };
  if (cls !== 'success')
    return {
      ok: false,
      observation: unknown(`query failed: respcd ${respcd} (${said(envelope.data)})`, `respcd=${respcd}`),
    };
  const parsed = QfpayQueryResponse.safeParse(answer.json);
  if (!parsed.success) return { ok: false, observation: unknown('query rows have unexpected fields', 'unparseable') };
  return { ok: true, rows: parsed.data.data };
}

/**
 * The observation for our payment among the rows of a query made by `by`, or undefined when no
 * payment row answers to it. A row that names another order is never read as ours.
 */
export function observeOrder(
  rows: QfpayRow[],
  expected: QfpayExpected,
  by: 'syssn' | 'out_trade_no',
): Observation | undefined {
  const payments = rows.filter(
    (r) => isPaymentRow(r) && (by === 'syssn' ? r.syssn === expected.syssn : r.out_trade_no === expected.orderId),
  );
  const p = payments[0];
  if (!p) return undefined;
  if (payments.length > 1) return unknown(`${payments.length} payments answer to ${by}`, 'ambiguous');
  if (p.out_trade_no !== undefined && p.out_trade_no !== expected.orderId) {
    return unknown(
      `syssn ${p.syssn} belongs to out_trade_no ${p.out_trade_no}, not ${expected.orderId}`,
      'other_order',
    );
  }
  if (expected.syssn !== undefined && p.syssn !== expected.syssn) {
    return unknown(
      `out_trade_no ${expected.orderId} belongs to syssn ${p.syssn ?? '(none)'}, not ${expected.syssn}`,
      'other_order',
    );
  }
  const refunds = p.syssn === undefined ? [] : rows.filter((r) => isRefundRow(r) && r.origssn === p.syssn);
  return paymentState(p, refunds);
}

function paymentState(p: QfpayRow, refunds: QfpayRow[]): Observation {
  const cancel = p.cancel ?? '0';
  const facts: ObservedFacts = {
    providerCode: `respcd=${p.respcd},cancel=${cancel}`,
    providerOrderId: p.syssn,
    amount: p.txamt,
    payType: p.pay_type,
    paidAt: qfpayTimeToIso(p.paydtm),
  };
  const cls = classOf(p.respcd);
  switch (cls) {
    case 'success':
    case 'already_paid':
    case 'refunded':
      return moneyIn(cls === 'refunded', cancel, refunds, facts);
    case 'in_progress':
      // A cancelled row that never succeeded took no money: 1 = CPM reversed, 2 = MPM closed (§4.1).
      if (cancel === '0') return { status: 'paying', ...facts };
      if (cancel === '1') return { status: 'closed', reason: 'reversed', ...facts };
      if (cancel === '2') return { status: 'closed', reason: 'closed', ...facts };
      return unknown(`payment in progress with cancel flag ${cancel}`, facts.providerCode, facts);
    case 'not_paid':
      return { status: 'unpaid', ...facts };
    case 'closed':
      return { status: 'closed', reason: 'closed', ...facts };
    case 'cancelled':
      return { status: 'closed', reason: 'reversed', ...facts };
    case 'expired':
      return { status: 'closed', reason: 'expired', ...facts };
    case 'payment_failed':
    case 'bank_busy':
    case 'forbidden':
      return { status: 'closed', reason: 'failed', ...facts };
    default:
      // Transient and write-only codes say nothing settled about the payment.
      return unknown(
        cls
          ? `payment row says "${meaning(p.respcd)}", which is not a payment state`
          : `unrecognised payment respcd ${p.respcd}`,
        facts.providerCode,
        facts,
      );
  }
}

/** Money came in (row 0000, or a paid/refunded code): refund rows say how much went back. */
function moneyIn(codeSaysRefunded: boolean, cancel: string, refunds: QfpayRow[], facts: ObservedFacts): Observation {
  let refundedAmount = 0;
  let pending = false;
  for (const r of refunds) {
    const status = refundRowStatus(r);
    if (status === 'processing') pending = true;
    if (status !== 'succeeded') continue;
    if (r.txamt === undefined)
      return unknown(`refund ${r.syssn} succeeded without an amount`, facts.providerCode, facts);
    refundedAmount += r.txamt;
  }
  if (pending) return { status: 'refunding', refundedAmount, ...facts };
  if (refundedAmount > 0)
    return {
      status: 'refunded',
      refundedAmount,
      full: facts.amount !== undefined && refundedAmount >= facts.amount,
      ...facts,
    };
  if (cancel === '0' && !codeSaysRefunded) return { status: 'paid', ...facts };
  // 1 reversed/refunded, 2 cancelled (a refund in 2017 samples), 3 refunded, 5 partly: how much is not said.
  if (codeSaysRefunded || ['1', '2', '3', '5'].includes(cancel)) {
    return {
      status: 'refunded',
      refundedAmount: 0,
      full: false,
      ...facts,
      providerCode: `${facts.providerCode},no refund rows`,
    };
  }
  return unknown(`paid with cancel flag ${cancel}, which is not documented for a payment`, facts.providerCode, facts);
}

/** A refund row's state: 0000 succeeded; in progress, transient or unrecognised is still processing. */
export function refundRowStatus(r: QfpayRow): 'succeeded' | 'processing' | 'failed' {
  const cls = classOf(r.respcd);
  if (cls === 'success') return 'succeeded';
  if (cls === undefined || cls === 'in_progress' || cls === 'transient') return 'processing';
  return 'failed';
}

/** reversal / close → CancelResult (§5.1, §5.3). */
export function mapCancel(call: 'reverse' | 'close', answer: QfpayAnswer, expected: QfpayExpected): CancelResult {
  const r = readWrite(call, answer);
  const providerCode = `respcd=${r.respcd}`;
  switch (classOf(r.respcd)) {
    case 'success':
      // A 0000 without a new syssn means the call does not apply to this order (G-JP §2.5).
      if (!r.syssn)
        return {
          result: 'rejected',
          providerCode: `${providerCode},no syssn`,
          message: `${call} is not supported for this order (answered without a syssn)`,
        };
      if (expected.syssn !== undefined && r.orig_syssn !== undefined && r.orig_syssn !== expected.syssn)
        throw notAbout(call, `orig_syssn ${r.orig_syssn}`);
      if (r.out_trade_no !== undefined && r.out_trade_no !== expected.orderId)
        throw notAbout(call, `out_trade_no ${r.out_trade_no}`);
      if (r.txamt !== undefined && expected.amount !== undefined && r.txamt !== expected.amount)
        throw notAbout(call, `txamt ${r.txamt}`);
      return { result: 'done', providerCode, message: said(r) };
    case 'closed':
    case 'cancelled':
    case 'expired':
      return { result: 'already', providerCode, message: said(r) };
    default:
      // Already paid (refund instead), refunded, cannot be cancelled (1150), not found, unknown codes: a "no".
      return { result: 'rejected', providerCode, message: said(r) };
  }
}

/** What a refund call said: a result, or that our refund key was seen before (look it up). */
export type RefundAnswer = { kind: 'result'; result: RefundResult } | { kind: 'duplicate'; providerCode: string };

/** /trade/v1/refund → RefundAnswer (§5.4). */
export function mapRefund(
  answer: QfpayAnswer,
  expected: { syssn: string; refundKey: string; amount: number },
): RefundAnswer {
  const r = readWrite('refund', answer);
  const providerCode = `respcd=${r.respcd}`;
  switch (classOf(r.respcd)) {
    case 'success':
      if (r.orig_syssn !== undefined && r.orig_syssn !== expected.syssn)
        throw notAbout('refund', `orig_syssn ${r.orig_syssn}`);
      if (r.out_trade_no !== undefined && r.out_trade_no !== expected.refundKey)
        throw notAbout('refund', `out_trade_no ${r.out_trade_no}`);
      if (r.txamt !== undefined && r.txamt !== expected.amount) throw notAbout('refund', `txamt ${r.txamt}`);
      return {
        kind: 'result',
        result: { result: 'succeeded', providerCode, refundId: r.syssn || undefined, message: said(r) },
      };
    case 'duplicate':
      return { kind: 'duplicate', providerCode };
    case 'refunded':
      return { kind: 'result', result: { result: 'already', providerCode, message: said(r) } };
    default:
      return { kind: 'result', result: { result: 'rejected', providerCode, message: said(r) } };
  }
}

/** The refund our key names, among the rows of a query by that key (the refund's out_trade_no). */
export function observeRefund(
  call: string,
  rows: QfpayRow[],
  expected: { refundKey: string; syssn?: string },
): RefundObservation {
  const matches = rows.filter((r) => r.out_trade_no === expected.refundKey);
  const row = matches[0];
  if (!row) return { status: 'not_found', providerCode: 'no rows' };
  if (matches.length > 1)
    throw untrustedResponse(
      'qfpay',
      call,
      `${matches.length} transactions answer to out_trade_no ${expected.refundKey}`,
    );
  if (!isRefundRow(row))
    throw requestRejected(
      'qfpay',
      call,
      `refund key ${expected.refundKey} is the out_trade_no of a payment (syssn ${row.syssn ?? '?'}), not of a refund`,
    );
  if (expected.syssn !== undefined && row.origssn !== expected.syssn) {
    throw requestRejected(
      'qfpay',
      call,
      `refund key ${expected.refundKey} names a refund of syssn ${row.origssn ?? '?'}, not of ${expected.syssn}`,
    );
  }
  return { status: refundRowStatus(row), providerCode: `respcd=${row.respcd}`, refundId: row.syssn, amount: row.txamt };
}

/** Our refund key was a duplicate: the refund it names decides the answer. */
export function refundFromExisting(
  existing: RefundObservation,
  request: RefundRequest,
  duplicateCode: string,
): RefundResult {
  const providerCode = `${duplicateCode},existing ${existing.providerCode}`;
  if (existing.status === 'not_found') {
    throw transient(
      'qfpay',
      'refund',
      `out_trade_no ${request.refundKey} is a duplicate but no refund with it is visible yet`,
      { providerCode: duplicateCode },
    );
  }
  if (existing.amount !== undefined && existing.amount !== request.amount) {
    return {
      result: 'rejected',
      providerCode,
      refundId: existing.refundId,
      message: `refund key ${request.refundKey} was used for ${existing.amount}, not ${request.amount}`,
    };
  }
  if (existing.status === 'succeeded') return { result: 'already', providerCode, refundId: existing.refundId };
  if (existing.status === 'processing') return { result: 'accepted', providerCode, refundId: existing.refundId };
  return {
    result: 'rejected',
    providerCode,
    refundId: existing.refundId,
    message: `the refund with key ${request.refundKey} failed`,
  };
}

/**
 * Read a write's answer. Unreadable or unverified answers are thrown as untrusted (the retry is
 * idempotent: same ids, same refund key) unless they blame our request; in-progress, transient
 * and mismatch codes are thrown on their channels.
 */
function readWrite(call: string, answer: QfpayAnswer) {
  if (!answer.readable) throw untrustedResponse('qfpay', call, answer.why);
  const parsed = QfpayWriteResponse.safeParse(answer.json);
  if (!parsed.success) throw untrustedResponse('qfpay', call, 'unexpected response fields');
  const r = parsed.data;
  const cls = classOf(r.respcd);
  if (cls && OUR_MISTAKE.has(cls)) throw ourMistake(call, r, answer.signature);
  if (answer.signature !== 'valid') {
    throw untrustedResponse(
      'qfpay',
      call,
      `answer signature ${answer.signature}${hinted(answer.hint)} (respcd ${r.respcd})`,
    );
  }
  if (cls === 'mismatch') {
    throw requestRejected(
      'qfpay',
      call,
      `respcd ${r.respcd} (${said(r)}): txamt/txdtm must be the original's (OrderRef.amount, OrderRef.createdAt)`,
      { providerCode: r.respcd },
    );
  }
  if (cls === 'in_progress') throw inProgress('qfpay', call, `respcd=${r.respcd}`, QFPAY_IN_PROGRESS_RETRY_MS);
  // 1297 "banking system busy, try again later" is not a "no": the same request is tried again (§6).
  if (cls === 'transient' || cls === 'bank_busy')
    throw transient('qfpay', call, `respcd ${r.respcd}: ${said(r)}`, { providerCode: r.respcd });
  return r;
}

function ourMistake(
  call: string,
  r: { respcd: string; resperr?: string | null; respmsg?: string | null },
  signature: 'valid' | 'invalid' | 'missing',
) {
  const hint = r.respcd === '1108' ? '; check QFPAY_APP_CODE, QFPAY_CLIENT_KEY and QFPAY_SIGN_TYPE' : '';
  const unverified = signature === 'valid' ? '' : ' (answer not verifiable with our client key)';
  return requestRejected('qfpay', call, `respcd ${r.respcd} ${meaning(r.respcd)}: ${said(r)}${unverified}${hint}`, {
    providerCode: r.respcd,
  });
}

const notAbout = (call: string, what: string) =>
  untrustedResponse('qfpay', call, `answer is about ${what}, not our order`);
