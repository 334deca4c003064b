/**
 * The only place a PAYJS answer gets its meaning (docs/providers/payjs.md §3, §5).
 *
 * `check` knows two states, paid (1) and unpaid (0): it cannot show a close, a reversal or a
 * refund, so nothing here ever reads "money returned" out of a check. That only comes from the
 * verified answer of the refund (or reverse) call itself. PAYJS publishes no error catalogue
 * (§8 Q5): error texts are matched loosely and only to pick a failure channel, never to claim success.
 */
import type { z } from 'zod';
import { inProgress, requestRejected, untrustedResponse } from '../../errors.js';
import type { CancelResult, Observation, RefundResult } from '../../../domain/index.js';
import type { PayjsAnswer } from './client.js';
import { PayjsCancelResponse, PayjsCheckResponse, PayjsRefundResponse } from './wire.js';

/** What the answer must be about: the order we asked for, under our merchant number. */
export interface PayjsExpected {
  mchid: string;
  payjsOrderId: string;
  /** Our out_trade_no, which a check answer must repeat. */
  orderId: string;
}

/** Texts that blame our request (signature, merchant number, parameters): retrying cannot help. */
const OUR_MISTAKE = /签名|sign|商户号|mchid|密钥|参数|param/i;
/** Texts that say "not now" (busy, processing, try later): the write is retried later. */
const TRY_LATER = /繁忙|稍后|处理中|重试|busy|try again|later|SYSTEMERROR|USERPAYING/i;
/** How long to wait before retrying a write PAYJS said to try later. */
export const PAYJS_TRY_LATER_MS = 15_000;

const isZeroish = (v: string | undefined): boolean => v === undefined || v === '' || v === '0';

/** PAYJS times are Beijing wall-clock "YYYY-MM-DD HH:MM:SS" (§8 Q6); anything else is left out. */
export function payjsTimeToIso(value: string | undefined): string | undefined {
  const m = value?.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/);
  return m ? `${m[1]}T${m[2]}+08:00` : undefined;
}

/** /api/check → Observation. Anything not verified, not ours or not understood is `unknown`. */
export function mapCheck(answer: PayjsAnswer, expected: PayjsExpected): Observation {
  if (!answer.readable)
    return { status: 'unknown', reason: `check answer unreadable: ${answer.why}`, providerCode: 'unreadable' };
  const parsed = PayjsCheckResponse.safeParse(answer.body);
  if (!parsed.success)
    return { status: 'unknown', reason: 'check answer has unexpected fields', providerCode: 'unparseable' };
  const r = parsed.data;
  const code = `return_code=${r.return_code}`;
  if (r.return_code !== 1) {
    const message = r.msg ?? r.return_msg ?? '';
    if (OUR_MISTAKE.test(message)) throw requestRejected('payjs', 'check', message, { providerCode: code });
    return { status: 'unknown', reason: `check failed: ${message || 'no message'}`, providerCode: code };
  }
  if (answer.signature !== 'valid')
    return { status: 'unknown', reason: `check answer signature ${answer.signature}`, providerCode: 'sign' };
  const mismatch = notOurs(r, expected);
  if (mismatch) return { status: 'unknown', reason: mismatch, providerCode: code };

  const facts = { providerOrderId: r.payjs_order_id, amount: r.total_fee };
  if (r.status === 1)
    return { status: 'paid', providerCode: 'status=1', ...facts, paidAt: payjsTimeToIso(r.paid_time) };
  if (r.status === 0) {
    // Unpaid answers carry "0" for both (§3.1). Payment facts beside status 0 mean the order was
    // paid and something happened after that check cannot name: never read it as unpaid or returned.
    if (!isZeroish(r.transaction_id) || !isZeroish(r.paid_time)) {
      return {
        status: 'unknown',
        reason:
          'check shows status 0 for an order that carries payment facts; PAYJS check cannot show refunds or reversals',
        providerCode: 'status=0+paid_facts',
      };
    }
    return { status: 'unpaid', providerCode: 'status=0', ...facts };
  }
  return {
    status: 'unknown',
    reason: `unrecognised check status ${r.status ?? '(missing)'}`,
    providerCode: `status=${r.status ?? 'missing'}`,
  };
}

function notOurs(r: PayjsCheckResponse, expected: PayjsExpected): string | undefined {
  if (r.payjs_order_id !== expected.payjsOrderId)
    return `check answered for payjs_order_id ${r.payjs_order_id ?? '(missing)'}, not ${expected.payjsOrderId}`;
  if (r.mchid !== expected.mchid) return `check answered for mchid ${r.mchid ?? '(missing)'}, not ours`;
  if (r.out_trade_no !== expected.orderId)
    return `payjs_order_id ${expected.payjsOrderId} belongs to out_trade_no ${r.out_trade_no ?? '(missing)'}, not ${expected.orderId}`;
  return undefined;
}

/** /api/reverse and /api/close → CancelResult. return_code 1 is done; 0 is PAYJS's "no". */
export function mapCancel(call: 'reverse' | 'close', answer: PayjsAnswer, expected: PayjsExpected): CancelResult {
  const r = readWrite(call, answer, PayjsCancelResponse);
  if (r.return_code !== 1) return refusal(call, answer, r);
  trustSuccess(call, answer, r, expected);
  return { result: 'done', providerCode: 'return_code=1', message: r.return_msg };
}

/**
 * /api/refund → RefundResult. Refunds are full only, and a repeat answers `refund: "1"` whatever
 * its return_code (§3.4, §8 Q4): that is "already refunded", success-equivalent, when signed.
 * `mayBeOurs`: an earlier attempt of this same refund call may have landed (its answer was lost), so
 * a `refund: "1"` may be our own refund: `succeeded`, not `already` (refunded before Rescind acted).
 */
export function mapRefund(answer: PayjsAnswer, expected: PayjsExpected, mayBeOurs = false): RefundResult {
  const r = readWrite('refund', answer, PayjsRefundResponse);
  const said = r.refund === '1' ? (mayBeOurs ? 'succeeded' : 'already') : r.return_code === 1 ? 'succeeded' : undefined;
  if (!said) return refusal('refund', answer, r);
  trustSuccess('refund', answer, r, expected);
  return { result: said, providerCode: r.refund === '1' ? 'refund=1' : 'return_code=1', message: r.return_msg };
}

/** An answer to a write that cannot be read is thrown: the retry is idempotent (full refund, close, reverse). */
function readWrite<T>(call: string, answer: PayjsAnswer, schema: z.ZodType<T>): T {
  if (!answer.readable) throw untrustedResponse('payjs', call, answer.why);
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw untrustedResponse('payjs', call, 'unexpected response fields');
  return parsed.data;
}

/** A success moves or settles money: it must be signed by PAYJS and be about our order. */
function trustSuccess(
  call: string,
  answer: PayjsAnswer,
  r: { payjs_order_id?: string },
  expected: PayjsExpected,
): void {
  if (!answer.readable || answer.signature !== 'valid')
    throw untrustedResponse(
      'payjs',
      call,
      `success answer signature ${answer.readable ? answer.signature : 'unreadable'}`,
    );
  if (r.payjs_order_id !== undefined && r.payjs_order_id !== expected.payjsOrderId) {
    throw untrustedResponse('payjs', call, `answer is about payjs_order_id ${r.payjs_order_id}`);
  }
}

/**
 * A "no". Whether error answers are signed is unconfirmed (§8 Q9): an unsigned "no" cannot move
 * money and is read as a "no"; a "no" whose signature is present but wrong is not trusted.
 */
function refusal(
  call: 'reverse' | 'close' | 'refund',
  answer: PayjsAnswer,
  r: { return_code: number; return_msg?: string; msg?: string },
): { result: 'rejected'; providerCode: string; message: string } {
  const message = r.msg ?? r.return_msg ?? '';
  const providerCode = `return_code=${r.return_code}`;
  if (OUR_MISTAKE.test(message)) throw requestRejected('payjs', call, message, { providerCode });
  if (answer.readable && answer.signature === 'invalid')
    throw untrustedResponse('payjs', call, 'refusal signature invalid');
  if (TRY_LATER.test(message)) throw inProgress('payjs', call, `${providerCode} ${message}`, PAYJS_TRY_LATER_MS);
  if (r.return_code !== 0) throw untrustedResponse('payjs', call, `unrecognised ${providerCode}`);
  return { result: 'rejected', providerCode, message };
}
