/**
 * The only place a QFPay answer gets its meaning. On a query the outer respcd only says the call
 * worked; the payment's state is the row's respcd plus its `cancel` flag, and refund rows
 * (order_type "refund", origssn = the payment) say how much went back (qfpay.md §4, gotcha G1).
 */
import { inProgress, requestRejected, transient, untrustedResponse } from '../../errors.js';
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../provider.js';
import * as codes from './codes.js';
import { QfpayQueryResponse, QfpayWriteResponse, type QfpayRow, type QfpayWriteResponse as WriteResponse } from './wire.js';

const IN_PROGRESS_RETRY_MS = 5_000;

export function parseQuery(call: string, body: unknown): QfpayRow[] {
  const parsed = QfpayQueryResponse.safeParse(body);
  if (!parsed.success) throw untrustedResponse('qfpay', call, 'unexpected query fields');
  const r = parsed.data;
  if (r.respcd !== '0000') throwForOuterCode(call, r.respcd, r.resperr ?? r.respmsg ?? '');
  return r.data ?? [];
}

export function mapQuery(rows: QfpayRow[], order: { orderId: string; providerOrderId?: string }): Observation {
  const payment = rows.find((r) => r.order_type !== 'refund' && (r.syssn === order.providerOrderId || r.out_trade_no === order.orderId));
  if (!payment) return { status: 'not_found', providerCode: 'no rows' };
  const refunds = rows.filter((r) => r.order_type === 'refund' && r.origssn === payment.syssn);
  const refundedAmount = refunds.filter((r) => r.respcd === '0000').reduce((sum, r) => sum + Number(r.txamt ?? 0), 0);
  const refundPending = refunds.some((r) => codes.IN_PROGRESS.has(r.respcd));
  const amount = payment.txamt !== undefined ? Number(payment.txamt) : undefined;
  const facts = { providerOrderId: payment.syssn, amount, payType: payment.pay_type, paidAt: payment.paydtm || undefined };
  const code = `respcd=${payment.respcd},cancel=${payment.cancel ?? '0'}`;

  if (payment.respcd === '0000' || payment.respcd === codes.ALREADY_PAID) {
    if (refundedAmount > 0 && amount !== undefined) return { status: 'refunded', refundedAmount, full: refundedAmount >= amount, providerCode: code, ...facts };
    if (refundPending) return { status: 'refunding', refundedAmount, providerCode: code, ...facts };
    const cancel = payment.cancel ?? '0';
    if (cancel === '0') return { status: 'paid', providerCode: code, ...facts };
    // cancel 1 (CPM reversed) / 2 (MPM closed) on a successful payment: the money went back by reversal.
    if (cancel === '1' || cancel === '2') return { status: 'closed', reason: 'reversed', reversedAfterPayment: true, providerCode: code, ...facts };
    // cancel 3 / 5 claim a refund we cannot see in the rows: do not guess.
    return { status: 'unknown', reason: `refund flag ${cancel} without refund rows`, providerCode: code, ...facts };
  }
  if (codes.IN_PROGRESS.has(payment.respcd)) return { status: 'paying', providerCode: code, ...facts };
  if (payment.respcd === codes.NOT_PAID) return { status: 'unpaid', providerCode: code, ...facts };
  if (codes.CLOSED.has(payment.respcd)) return { status: 'closed', reason: 'closed', providerCode: code, ...facts };
  if (payment.respcd === codes.CANCELLED) return { status: 'closed', reason: 'reversed', providerCode: code, ...facts };
  if (payment.respcd === codes.EXPIRED) return { status: 'closed', reason: 'expired', providerCode: code, ...facts };
  if (codes.PAYMENT_FAILED.has(payment.respcd)) return { status: 'closed', reason: 'failed', providerCode: code, ...facts };
  if (codes.REFUNDED.has(payment.respcd) && amount !== undefined) return { status: 'refunded', refundedAmount: amount, full: true, providerCode: code, ...facts };
  return { status: 'unknown', reason: `unrecognised respcd ${payment.respcd}`, providerCode: code, ...facts };
}

/** reversal / close. A 0000 without a new syssn means the call is not supported for this order. */
export function mapCancel(call: 'reverse' | 'close', body: unknown): CancelResult {
  const r = parseWrite(call, body);
  const code = `respcd=${r.respcd}`;
  const message = r.resperr ?? r.respmsg;
  if (r.respcd === '0000') return r.syssn ? { result: 'done', providerCode: code, message } : { result: 'rejected', providerCode: `${code},no syssn`, message: 'not supported for this order' };
  if (r.respcd === codes.CANCELLED || codes.CLOSED.has(r.respcd)) return { result: 'already', providerCode: code, message };
  return { result: 'rejected', providerCode: code, message };
}

export function mapRefund(body: unknown): RefundResult {
  const r = parseWrite('refund', body);
  const code = `respcd=${r.respcd}`;
  const message = r.resperr ?? r.respmsg;
  if (r.respcd === '0000') return { result: 'succeeded', providerCode: code, refundId: r.syssn, message };
  if (codes.REFUNDED.has(r.respcd)) return { result: 'already', providerCode: code, message };
  return { result: 'rejected', providerCode: code, message };
}

export function mapRefundRow(rows: QfpayRow[], refundKey: string): RefundObservation {
  const row = rows.find((r) => r.out_trade_no === refundKey && r.order_type === 'refund');
  if (!row) return { status: 'not_found', providerCode: 'no rows' };
  const facts = { providerCode: `respcd=${row.respcd}`, refundId: row.syssn, amount: row.txamt !== undefined ? Number(row.txamt) : undefined };
  if (row.respcd === '0000') return { status: 'succeeded', ...facts };
  if (codes.IN_PROGRESS.has(row.respcd)) return { status: 'processing', ...facts };
  return { status: 'failed', ...facts };
}

/** Codes that are not the provider's business answer: in progress, transient, or our mistake. */
function parseWrite(call: string, body: unknown): WriteResponse {
  const parsed = QfpayWriteResponse.safeParse(body);
  if (!parsed.success) throw untrustedResponse('qfpay', call, 'unexpected response fields');
  const r = parsed.data;
  if (codes.IN_PROGRESS.has(r.respcd)) throw inProgress('qfpay', call, `respcd=${r.respcd}`, IN_PROGRESS_RETRY_MS);
  if (codes.TRANSIENT.has(r.respcd)) throw transient('qfpay', call, `respcd ${r.respcd}`, { providerCode: r.respcd });
  if (codes.OUR_MISTAKE.has(r.respcd)) throw requestRejected('qfpay', call, `respcd ${r.respcd}: ${r.resperr ?? ''}`, { providerCode: r.respcd });
  return r;
}

function throwForOuterCode(call: string, respcd: string, message: string): never {
  if (codes.OUR_MISTAKE.has(respcd)) throw requestRejected('qfpay', call, `respcd ${respcd}: ${message}`, { providerCode: respcd });
  throw transient('qfpay', call, `respcd ${respcd}: ${message}`, { providerCode: respcd });
}

export const isDuplicate = (body: unknown): boolean => codes.DUPLICATE.has(String((body as { respcd?: unknown })?.respcd));
