/** QFPay notifications: JSON signed as MD5(raw body + client key) in X-QF-SIGN (qfpay.md §7). */
import type { QfpayConfig } from '../../../worker/config.js';
import type { NoticeAck, NoticeVerification } from '../provider.js';
import { qfpayVerifyBody } from './signer.js';
import { QfpayNotification } from './wire.js';

/** QFPay stops retrying on HTTP 200 with body SUCCESS. */
export const QFPAY_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'SUCCESS' };

export function verifyQfpayNotification(config: QfpayConfig, rawBody: string, headers: Record<string, string | string[] | undefined>): NoticeVerification {
  const header = headers['x-qf-sign'];
  if (!qfpayVerifyBody(rawBody, config.clientKey, Array.isArray(header) ? header[0] : header)) return { ok: false, reason: 'X-QF-SIGN did not verify' };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = QfpayNotification.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'missing notification fields' };
  const n = parsed.data;
  const refund = n.notify_type === 'refund';
  return {
    ok: true,
    notice: {
      provider: 'qfpay',
      merchantId: n.mchid ?? config.mchid,
      // A refund notification names the refund's own out_trade_no; the order is the original one.
      orderId: refund && n.orig_out_trade_no ? n.orig_out_trade_no : n.out_trade_no,
      providerOrderId: refund ? undefined : n.syssn,
      event: refund ? 'refunded' : n.notify_type === 'payment' && n.status === '1' ? 'paid' : 'other',
    },
  };
}
