/**
 * The only place a Ping++ answer gets its meaning. `refunded: true` only says a refund exists;
 * money is back only when the refunds succeeded. `paid && reversed` means the reversal sent a
 * paid charge's money back (seed 004), with no refund object.
 */
import { untrustedResponse } from '../../errors.js';
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../provider.js';
import { isRefusal } from './client.js';
import { PingppCharge, PingppRefund, PingppRefundList, type PingppRefund as Refund } from './wire.js';

export function mapCharge(body: unknown, nowMs: number): Observation {
  if (isRefusal(body)) {
    if (body.refusal.status === 404) return { status: 'not_found', providerCode: `404 ${body.refusal.type}` };
    return { status: 'unknown', reason: `${body.refusal.type}: ${body.refusal.message ?? ''}`, providerCode: `${body.refusal.status} ${body.refusal.code ?? body.refusal.type}` };
  }
  const parsed = PingppCharge.safeParse(body);
  if (!parsed.success) return { status: 'unknown', reason: 'unexpected charge fields', providerCode: 'parse' };
  const c = parsed.data;
  const facts = { providerOrderId: c.id, amount: c.amount, payType: c.channel, paidAt: c.time_paid ? new Date(c.time_paid * 1000).toISOString() : undefined };
  const code = `paid=${c.paid},refunded=${c.refunded},reversed=${c.reversed}`;
  if (c.reversed) return { status: 'closed', reason: 'reversed', reversedAfterPayment: c.paid, providerCode: code, ...facts };
  if (!c.paid) {
    if (c.failure_code) return { status: 'closed', reason: 'failed', providerCode: `${code},failure=${c.failure_code}`, ...facts };
    if (c.time_expire && c.time_expire * 1000 < nowMs) return { status: 'closed', reason: 'expired', providerCode: `${code},expired`, ...facts };
    return { status: 'unpaid', providerCode: code, ...facts };
  }
  if (!c.refunded) return { status: 'paid', providerCode: code, ...facts };
  const refunds = c.refunds?.data ?? [];
  const succeeded = refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
  if (refunds.some((r) => r.status === 'pending')) return { status: 'refunding', refundedAmount: succeeded, providerCode: code, ...facts };
  if (c.refunds?.has_more) return { status: 'unknown', reason: 'more refunds than one page: cannot total them', providerCode: code, ...facts };
  if (succeeded === 0) return { status: 'paid', providerCode: `${code},no successful refund`, ...facts };
  return { status: 'refunded', refundedAmount: succeeded, full: succeeded >= c.amount && c.amount_refunded >= c.amount, providerCode: code, ...facts };
}

export function mapReverse(body: unknown): CancelResult {
  if (isRefusal(body)) return { result: 'rejected', providerCode: `${body.refusal.status} ${body.refusal.code ?? body.refusal.type}`, message: body.refusal.message };
  const parsed = PingppCharge.safeParse(body);
  if (!parsed.success) throw untrustedResponse('pingpp', 'reverse', 'unexpected charge fields');
  return parsed.data.reversed ? { result: 'done', providerCode: 'reversed=true' } : { result: 'rejected', providerCode: 'reversed=false' };
}

export function parseRefunds(body: unknown): Refund[] {
  if (isRefusal(body)) throw untrustedResponse('pingpp', 'queryRefund', `${body.refusal.status} ${body.refusal.message ?? ''}`);
  const parsed = PingppRefundList.safeParse(body);
  if (!parsed.success) throw untrustedResponse('pingpp', 'queryRefund', 'unexpected refund list');
  return parsed.data.data;
}

export const refundKeyOf = (r: Refund): unknown => r.metadata?.refund_key;

export function mapRefundObservation(refund: Refund | undefined): RefundObservation {
  if (!refund) return { status: 'not_found', providerCode: 'no refund with this key' };
  const facts = { providerCode: `status=${refund.status}`, refundId: refund.id, amount: refund.amount };
  if (refund.status === 'succeeded') return { status: 'succeeded', ...facts };
  if (refund.status === 'pending') return { status: 'processing', ...facts };
  if (refund.status === 'failed') return { status: 'failed', ...facts };
  return { status: 'processing', ...facts, providerCode: `unknown status ${refund.status}` };
}

export function mapRefundCreated(body: unknown): RefundResult {
  if (isRefusal(body)) return { result: 'rejected', providerCode: `${body.refusal.status} ${body.refusal.code ?? body.refusal.type}`, message: body.refusal.message };
  const parsed = PingppRefund.safeParse(body);
  if (!parsed.success) throw untrustedResponse('pingpp', 'refund', 'unexpected refund fields');
  const r = parsed.data;
  if (r.status === 'succeeded') return { result: 'succeeded', providerCode: 'status=succeeded', refundId: r.id };
  if (r.status === 'failed') return { result: 'rejected', providerCode: `status=failed,${r.failure_code ?? ''}`, refundId: r.id, message: r.failure_msg ?? undefined };
  return { result: 'accepted', providerCode: `status=${r.status}`, refundId: r.id };
}
