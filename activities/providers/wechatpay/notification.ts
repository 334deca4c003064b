/** WeChat Pay v3 notifications: signed headers over the raw body, then AEAD_AES_256_GCM (§4). */
import type { WechatpayConfig } from '../../../worker/config.js';
import type { NoticeAck, NoticeVerification } from '../provider.js';
import { decryptResource, MAX_CLOCK_SKEW_S, responseMessage, rsaVerify } from './signer.js';
import { WechatNotification, WechatNotifiedResource } from './wire.js';

/** WeChat counts 200 or 204 as received. */
export const WECHATPAY_NOTICE_ACK: NoticeAck = { status: 204, body: '' };

export function verifyWechatpayNotification(
  config: WechatpayConfig,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  now: Date = new Date(),
): NoticeVerification {
  const h = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const [serial, timestamp, nonce, signature] = ['wechatpay-serial', 'wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature'].map(h);
  if (!serial || !timestamp || !nonce || !signature) return { ok: false, reason: 'signature headers missing' };
  // Signature probes must fail (§4.3).
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) return { ok: false, reason: 'signature probe' };
  if (serial !== config.platformKeyId) return { ok: false, reason: `signed by unknown key ${serial}` };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) return { ok: false, reason: 'timestamp more than 300 s away' };
  if (!rsaVerify(responseMessage(timestamp, nonce, rawBody), signature, config.platformPublicKeyPem)) return { ok: false, reason: 'Wechatpay-Signature did not verify' };
  let envelope;
  try {
    envelope = WechatNotification.parse(JSON.parse(rawBody));
  } catch {
    return { ok: false, reason: 'not a WeChat Pay notification' };
  }
  if (envelope.resource.algorithm !== 'AEAD_AES_256_GCM') return { ok: false, reason: `unsupported algorithm ${envelope.resource.algorithm}` };
  let resource;
  try {
    const plaintext = decryptResource(config.apiV3Key, envelope.resource.nonce, envelope.resource.associated_data, envelope.resource.ciphertext);
    resource = WechatNotifiedResource.parse(JSON.parse(plaintext));
  } catch {
    return { ok: false, reason: 'resource did not decrypt with the APIv3 key' };
  }
  const event = envelope.event_type === 'TRANSACTION.SUCCESS' ? 'paid' : envelope.event_type === 'REFUND.SUCCESS' ? 'refunded' : 'other';
  return { ok: true, notice: { provider: 'wechatpay', merchantId: resource.sub_mchid, orderId: resource.out_trade_no, providerOrderId: resource.transaction_id, event } };
}
