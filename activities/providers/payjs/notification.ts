/**
 * PAYJS payment notifications (docs/providers/payjs.md §4): a urlencoded form POST, signed with the same MD5
 * scheme over every field received. Sent only on successful payment; duplicates are normal.
 */
import type { PayjsConfig } from './config.js';
import type { NoticeAck, NoticeVerification } from '../../../domain/index.js';
import { payjsVerify } from './signer.js';
import { PayjsNotification } from './wire.js';

/** PAYJS counts any HTTP 200 as delivered; its examples answer the body "success". */
export const PAYJS_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'success' };

/**
 * Verify a notification on its raw body and reduce it to a PaymentNotice. PAYJS sends no
 * timestamp, so `now` is accepted for the common signature and not used; replays are harmless
 * because a notice only wakes the order's workflow, which then queries.
 */
export function verifyPayjsNotification(
  config: PayjsConfig,
  rawBody: string,
  _headers: Record<string, string | string[] | undefined> = {},
  _now: Date = new Date(),
): NoticeVerification {
  const fields: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) {
    // A repeated field would let the signed value and the read value differ.
    if (k in fields) return { ok: false, reason: `field ${k} appears twice` };
    fields[k] = v;
  }
  if (!payjsVerify(fields, config.key)) return { ok: false, reason: 'signature did not verify' };
  const parsed = PayjsNotification.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: 'required notification fields missing' };
  const n = parsed.data;
  if (n.mchid !== config.mchid) return { ok: false, reason: `notification is for mchid ${n.mchid}, not ours` };
  return {
    ok: true,
    notice: {
      provider: 'payjs',
      merchantId: n.mchid,
      orderId: n.out_trade_no,
      providerOrderId: n.payjs_order_id,
      event: n.return_code === 1 ? 'paid' : 'other',
    },
  };
}
