/** PAYJS payment notifications: a form POST signed like everything else (payjs.md §4). */
import type { PayjsConfig } from '../../../worker/config.js';
import type { NoticeAck, NoticeVerification } from '../provider.js';
import { payjsVerify } from './signer.js';
import { PayjsNotification } from './wire.js';

/** PAYJS counts HTTP 200 as delivered; the examples answer "success". */
export const PAYJS_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'success' };

export function verifyPayjsNotification(
  config: PayjsConfig,
  rawBody: string,
  _headers: Record<string, string | string[] | undefined> = {},
): NoticeVerification {
  const fields = Object.fromEntries(new URLSearchParams(rawBody));
  if (!payjsVerify(fields, config.key)) return { ok: false, reason: 'signature did not verify' };
  const parsed = PayjsNotification.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: 'missing notification fields' };
  const n = parsed.data;
  return {
    ok: true,
    notice: { provider: 'payjs', merchantId: n.mchid, orderId: n.out_trade_no, providerOrderId: n.payjs_order_id, event: n.return_code === 1 ? 'paid' : 'other' },
  };
}
