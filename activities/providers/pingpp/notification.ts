/**
 * Ping++ webhooks (docs/providers/pingpp.md §3): an Event POSTed as JSON, signed with RSA-SHA256 over the raw
 * body in `X-Pingplusplus-Signature`, verified with the Ping++ public key. The protocol carries no
 * timestamp, so replays are harmless only because a notice merely wakes a workflow that then asks
 * Ping++ itself.
 */
import type { PingppConfig } from './config.js';
import type { NoticeAck, NoticeVerification, PaymentNotice } from '../../../domain/index.js';
import { rsaVerify } from './signer.js';
import { appIdOf, PingppEvent } from './wire.js';

/** Ping++ reads only the status: any 2xx stops its retries (§3). */
export const PINGPP_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'ok' };

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Verify a webhook on its raw bytes, then read it. Unsigned events are refused: Ping++ sends
 * test-mode webhooks with an empty signature (§3), and nothing unsigned is trusted.
 */
export function verifyPingppNotification(
  config: PingppConfig,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  _now: Date = new Date(),
): NoticeVerification {
  if (!config.webhookPublicKeyPem)
    return {
      ok: false,
      reason: 'PINGPP_WEBHOOK_PUBLIC_KEY_PATH is not configured: Ping++ webhooks cannot be verified',
    };
  const signature = header(headers, 'x-pingplusplus-signature');
  if (!signature)
    return {
      ok: false,
      reason: 'X-Pingplusplus-Signature is missing or empty (Ping++ does not sign test-mode webhooks)',
    };
  if (!rsaVerify(rawBody, signature, config.webhookPublicKeyPem))
    return { ok: false, reason: 'X-Pingplusplus-Signature did not verify' };

  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = PingppEvent.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'body is not a Ping++ event' };
  const { type, data } = parsed.data;
  const object = data.object;
  const merchantId = appIdOf(object.app) ?? config.appId;

  let notice: PaymentNotice;
  if (type.startsWith('refund.')) {
    notice = {
      provider: 'pingpp',
      merchantId,
      orderId: object.charge_order_no ?? '',
      providerOrderId: object.charge ?? undefined,
      event: type === 'refund.succeeded' ? 'refunded' : 'other',
    };
  } else {
    notice = {
      provider: 'pingpp',
      merchantId,
      orderId: object.order_no ?? '',
      providerOrderId: object.id,
      event: type === 'charge.succeeded' ? 'paid' : 'other',
    };
  }
  if (!notice.orderId) return { ok: false, reason: `event ${type} names no order` };
  return { ok: true, notice };
}
