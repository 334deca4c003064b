/**
 * QFPay notifications (docs/providers/qfpay.md §2.3, §7): JSON POSTed with X-QF-SIGN = MD5(raw body + client
 * key). The signature covers the bytes exactly as sent (Python json.dumps format), so it is
 * checked on the raw body before anything is parsed; re-serialising would break it (gotcha G6).
 */
import type { QfpayConfig } from './config.js';
import type { NoticeAck, NoticeVerification } from '../../../domain/index.js';
import { qfpayVerifyBody } from './signer.js';
import { QfpayNotification } from './wire.js';

/** QFPay stops retrying on HTTP 200 with the body SUCCESS. */
export const QFPAY_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'SUCCESS' };

/**
 * Verify a notification and reduce it to a PaymentNotice. QFPay sends no timestamp, so `now` is
 * accepted for the common signature and not used; a replay only wakes a workflow, which queries.
 */
export function verifyQfpayNotification(
  config: QfpayConfig,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  _now: Date = new Date(),
): NoticeVerification {
  const header = headers['x-qf-sign'];
  const sign = Array.isArray(header) ? header[0] : header;
  if (!qfpayVerifyBody(rawBody, config.clientKey, sign))
    return { ok: false, reason: sign ? 'X-QF-SIGN did not verify' : 'X-QF-SIGN missing' };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = QfpayNotification.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'notify_type or out_trade_no missing' };
  const n = parsed.data;
  // mchid is sent to agents only; when present it must be ours.
  if (n.mchid !== undefined && config.mchid !== undefined && n.mchid !== config.mchid)
    return { ok: false, reason: `notification is for mchid ${n.mchid}, not ours` };

  if (n.notify_type === 'refund') {
    // A refund names its own out_trade_no (our refund key); the order is the original one.
    if (!n.orig_out_trade_no) return { ok: false, reason: 'refund notification without orig_out_trade_no' };
    // QFPay notifies only refunds that succeeded, with respcd 0000 (§7); anything else is not read as one.
    const refunded = n.respcd === undefined || n.respcd === '0000';
    const event = refunded ? 'refunded' : 'other';
    const ids = { merchantId: n.mchid, orderId: n.orig_out_trade_no, providerOrderId: n.orig_syssn };
    return { ok: true, notice: { provider: 'qfpay', ...ids, event } };
  }
  const paid = n.notify_type === 'payment' && n.status === '1' && n.respcd === '0000';
  return {
    ok: true,
    notice: {
      provider: 'qfpay',
      merchantId: n.mchid,
      orderId: n.out_trade_no,
      providerOrderId: n.syssn,
      event: paid ? 'paid' : 'other',
    },
  };
}
