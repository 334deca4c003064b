/**
 * One receiver per provider: how its notifications are verified (on the raw body, with the
 * provider helper from activities/providers/<id>/notification.ts), and what it must be answered
 * when accepted and when refused.
 */
import { PAYJS_NOTICE_ACK, verifyPayjsNotification } from '../../../activities/providers/payjs/notification.js';
import { PINGPP_NOTICE_ACK, verifyPingppNotification } from '../../../activities/providers/pingpp/notification.js';
import type { NoticeAck, NoticeVerification, ProviderId } from '../../../domain/index.js';
import { QFPAY_NOTICE_ACK, verifyQfpayNotification } from '../../../activities/providers/qfpay/notification.js';
import { verifyWechatpayNotification, WECHATPAY_NOTICE_ACK } from '../../../activities/providers/wechatpay/notification.js';
import type { ProvidersConfig } from '../../../worker/config.js';

export type Headers = Record<string, string | string[] | undefined>;

export interface Receiver {
  /** Verify the raw body; never throws (a throwing verifier counts as unverified). */
  verify(rawBody: string, headers: Headers): NoticeVerification;
  /** The answer that tells the provider "received, stop retrying". */
  ack: NoticeAck;
  /** The answer for a body that did not verify, or that could not be handled now (the provider retries). */
  refuse(status: number, message: string): NoticeAck;
  /** What the provider sends: documented in the OpenAPI description. */
  contentType: string;
}

const text = (body: string) => (status: number): NoticeAck => ({ status, contentType: 'text/plain; charset=utf-8', body });

/** A receiver for each configured provider; an unconfigured provider's notifications cannot be verified. */
export function buildReceivers(providers: ProvidersConfig): Partial<Record<ProviderId, Receiver>> {
  const safe = (verify: (raw: string, headers: Headers) => NoticeVerification) => (raw: string, headers: Headers): NoticeVerification => {
    try {
      return verify(raw, headers);
    } catch (err) {
      return { ok: false, reason: `verifier failed: ${(err as Error).message}` };
    }
  };
  const { payjs, qfpay, wechatpay, pingpp } = providers;
  return {
    // PAYJS retries anything but HTTP 200.
    ...(payjs && { payjs: { verify: safe((raw, h) => verifyPayjsNotification(payjs, raw, h)), ack: PAYJS_NOTICE_ACK, refuse: (s) => text('fail')(s), contentType: 'application/x-www-form-urlencoded' } }),
    // QFPay retries until it reads HTTP 200 with the body SUCCESS.
    ...(qfpay && { qfpay: { verify: safe((raw, h) => verifyQfpayNotification(qfpay, raw, h)), ack: QFPAY_NOTICE_ACK, refuse: (s) => text('FAIL')(s), contentType: 'application/json' } }),
    // WeChat Pay v3 expects 4xx/5xx with {"code":"FAIL","message":...} on failure.
    ...(wechatpay && {
      wechatpay: {
        verify: safe((raw, h) => verifyWechatpayNotification(wechatpay, raw, h)),
        ack: WECHATPAY_NOTICE_ACK,
        refuse: (status, message) => ({ status, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) }),
        contentType: 'application/json',
      },
    }),
    // Ping++ retries anything but 2xx.
    ...(pingpp && { pingpp: { verify: safe((raw, h) => verifyPingppNotification(pingpp, raw, h)), ack: PINGPP_NOTICE_ACK, refuse: (s) => text('fail')(s), contentType: 'application/json' } }),
  };
}
