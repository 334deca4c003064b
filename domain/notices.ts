/** Provider notifications, once verified, reduced to what wakes an order's workflow. */
import type { ProviderId } from './providers.js';

export const NOTICE_EVENTS = ['paid', 'refunded', 'other'] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

export interface PaymentNotice {
  provider: ProviderId;
  /** Merchant scope as in OrderRef.merchantId, when the notification carries it. */
  merchantId?: string;
  orderId: string;
  providerOrderId?: string;
  event: NoticeEvent;
}

/** Result of verifying a notification on its raw bytes. Unverified bodies are never parsed into a notice. */
export type NoticeVerification = { ok: true; notice: PaymentNotice } | { ok: false; reason: string };

/** What a receiver must answer so the provider stops retrying. */
export interface NoticeAck {
  status: number;
  contentType?: string;
  body: string;
}
