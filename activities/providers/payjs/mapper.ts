/**
 * The only place a PAYJS answer gets its meaning. `check` knows only paid (1) and unpaid (0):
 * it cannot show a close, a reversal or a refund (payjs.md §3.1), so those come from the
 * verified answers of the calls that made them.
 */
import { requestRejected, untrustedResponse } from '../../errors.js';
import type { CancelResult, Observation, RefundResult } from '../provider.js';
import type { PayjsAnswer } from './client.js';
import { PayjsCheckResponse, PayjsWriteResponse } from './wire.js';

/** Words PAYJS uses when the fault is in our request (texts are not published; matched loosely). */
const OUR_MISTAKE = /签名|sign|参数|param|商户号|mchid/i;

export function mapCheck(answer: PayjsAnswer): Observation {
  if (!answer.verified) return { status: 'unknown', reason: 'response signature did not verify', providerCode: 'sign' };
  const parsed = PayjsCheckResponse.safeParse(answer.body);
  if (!parsed.success) return { status: 'unknown', reason: 'unexpected response fields', providerCode: 'parse' };
  const r = parsed.data;
  if (r.return_code !== 1) {
    const message = r.return_msg ?? r.msg ?? '';
    if (OUR_MISTAKE.test(message)) throw requestRejected('payjs', 'check', message);
    return { status: 'unknown', reason: `check failed: ${message || 'no message'}`, providerCode: 'return_code=0' };
  }
  const facts = { providerOrderId: r.payjs_order_id, amount: r.total_fee };
  if (r.status === 1) return { status: 'paid', providerCode: 'status=1', ...facts, paidAt: r.paid_time && r.paid_time !== '0' ? r.paid_time : undefined };
  if (r.status === 0 || r.status === undefined) return { status: 'unpaid', providerCode: 'status=0', ...facts };
  return { status: 'unknown', reason: `unknown status ${r.status}`, providerCode: `status=${r.status}` };
}

/** reverse / close: return_code 1 is done; 0 is the provider's "no" (or our mistake). */
export function mapCancel(call: 'reverse' | 'close', answer: PayjsAnswer): CancelResult {
  const r = parseWrite(call, answer);
  if (r.return_code === 1) return { result: 'done', providerCode: 'return_code=1', message: r.return_msg };
  const message = r.return_msg ?? '';
  if (OUR_MISTAKE.test(message)) throw requestRejected('payjs', call, message);
  return { result: 'rejected', providerCode: 'return_code=0', message };
}

/** refund: PAYJS refunds in full only; `refund: "1"` means it was already refunded (payjs.md §3.4). */
export function mapRefund(answer: PayjsAnswer): RefundResult {
  const r = parseWrite('refund', answer);
  if (r.refund === '1') return { result: 'already', providerCode: 'refund=1', message: r.return_msg };
  if (r.return_code === 1) return { result: 'succeeded', providerCode: 'return_code=1', message: r.return_msg };
  const message = r.return_msg ?? '';
  if (OUR_MISTAKE.test(message)) throw requestRejected('payjs', 'refund', message);
  return { result: 'rejected', providerCode: 'return_code=0', message };
}

function parseWrite(call: string, answer: PayjsAnswer) {
  const parsed = PayjsWriteResponse.safeParse(answer.body);
  if (!parsed.success) throw untrustedResponse('payjs', call, 'unexpected response fields');
  // A success must be signed. An unsigned "no" cannot move money, so it is read as a "no".
  if (!answer.verified && (parsed.data.return_code === 1 || parsed.data.refund === '1' || answer.body.sign !== undefined)) {
    throw untrustedResponse('payjs', call, 'response signature did not verify');
  }
  return parsed.data;
}
