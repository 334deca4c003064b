/**
 * WeChat Pay v3 notifications (docs/providers/wechatpay.md §4): the Wechatpay-* headers must verify
 * over the raw body (±300 s, signature probes fail), then resource.ciphertext is opened with
 * AEAD_AES_256_GCM under the APIv3 key. Nothing unverified is parsed into a notice.
 */
import type { WechatpayConfig } from './config.js';
import type { NoticeAck, NoticeVerification, PaymentNotice } from '../../../domain/index.js';
import { decryptResource, type HeaderBag, verifySigned } from './signer.js';
import { WechatNotification, WechatNotifiedRefund, WechatTransaction } from './wire.js';

/** WeChat counts HTTP 200 or 204 as received; no body is needed (§4.3). */
export const WECHATPAY_NOTICE_ACK: NoticeAck = { status: 204, body: '' };

/** Verify and open a notification received as `rawBody` with `headers`. */
export function verifyWechatpayNotification(
  config: WechatpayConfig,
  rawBody: string,
  headers: HeaderBag,
  now: Date = new Date(),
): NoticeVerification {
  const verdict = verifySigned(
    headers,
    rawBody,
    { keyId: config.platformKeyId, publicKeyPem: config.platformPublicKeyPem },
    now.getTime() / 1000,
  );
  if (!verdict.valid) return { ok: false, reason: verdict.reason };
  let envelope;
  try {
    envelope = WechatNotification.parse(JSON.parse(rawBody));
  } catch {
    return { ok: false, reason: 'not a WeChat Pay notification' };
  }
  const { resource } = envelope;
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    return { ok: false, reason: `unsupported algorithm ${resource.algorithm}` };
  let plaintext: unknown;
  try {
    plaintext = JSON.parse(
      decryptResource(config.apiV3Key, resource.nonce, resource.associated_data, resource.ciphertext),
    );
  } catch {
    return { ok: false, reason: 'resource did not decrypt with the APIv3 key' };
  }
  const notice = readResource(envelope.event_type, plaintext);
  if (!notice) return { ok: false, reason: `resource of ${envelope.event_type} has unexpected fields` };
  if (notice.spMchid !== undefined && notice.spMchid !== config.spMchid)
    return { ok: false, reason: `for service provider ${notice.spMchid}, not ${config.spMchid}` };
  return { ok: true, notice: notice.notice };
}

/** The notice a decrypted resource carries: payments by trade_state, refunds by refund_status. */
function readResource(eventType: string, plaintext: unknown): { notice: PaymentNotice; spMchid?: string } | undefined {
  if (eventType.startsWith('REFUND.')) {
    const r = WechatNotifiedRefund.safeParse(plaintext);
    if (!r.success) return undefined;
    const event = eventType === 'REFUND.SUCCESS' && r.data.refund_status === 'SUCCESS' ? 'refunded' : 'other';
    return {
      spMchid: r.data.sp_mchid,
      notice: {
        provider: 'wechatpay',
        merchantId: r.data.sub_mchid,
        orderId: r.data.out_trade_no,
        providerOrderId: r.data.transaction_id,
        event,
      },
    };
  }
  const t = WechatTransaction.safeParse(plaintext);
  if (!t.success) return undefined;
  const event = eventType === 'TRANSACTION.SUCCESS' && t.data.trade_state === 'SUCCESS' ? 'paid' : 'other';
  return {
    spMchid: t.data.sp_mchid,
    notice: {
      provider: 'wechatpay',
      merchantId: t.data.sub_mchid,
      orderId: t.data.out_trade_no,
      providerOrderId: t.data.transaction_id,
      event,
    },
  };
}
