/** Ping++ webhooks: an Event whose raw body is signed in X-Pingplusplus-Signature (pingpp.md §3). */
import type { PingppConfig } from '../../../worker/config.js';
import type { NoticeAck, NoticeVerification } from '../provider.js';
import { rsaVerify } from './signer.js';
import { PingppEvent } from './wire.js';

/** Ping++ only looks at the status: any 2xx stops the retries. */
export const PINGPP_NOTICE_ACK: NoticeAck = { status: 200, contentType: 'text/plain', body: 'ok' };

export function verifyPingppNotification(config: PingppConfig, rawBody: string, headers: Record<string, string | string[] | undefined>): NoticeVerification {
  if (!config.webhookPublicKeyPem) return { ok: false, reason: 'PINGPP_WEBHOOK_PUBLIC_KEY_PATH is not configured: webhooks cannot be verified' };
  const header = headers['x-pingplusplus-signature'];
  // Test-mode webhooks arrive unsigned (pingpp.md §3): they are refused rather than trusted.
  if (!rsaVerify(rawBody, Array.isArray(header) ? header[0] : header, config.webhookPublicKeyPem)) return { ok: false, reason: 'X-Pingplusplus-Signature did not verify' };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = PingppEvent.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'not a Ping++ event' };
  const object = parsed.data.data.object;
  const app = typeof object.app === 'string' ? object.app : (object.app as { id?: string } | undefined)?.id;
  if (parsed.data.type === 'refund.succeeded') {
    return { ok: true, notice: { provider: 'pingpp', merchantId: app ?? config.appId, orderId: object.charge_order_no ?? '', providerOrderId: object.charge, event: 'refunded' } };
  }
  return {
    ok: true,
    notice: { provider: 'pingpp', merchantId: app ?? config.appId, orderId: object.order_no ?? '', providerOrderId: object.id, event: parsed.data.type === 'charge.succeeded' ? 'paid' : 'other' },
  };
}
