/**
 * The one interface every provider adapter implements, and the normalised values it returns.
 *
 * Workflow code imports these as types only: nothing here may touch Node, the network or a clock.
 */

export const PROVIDER_IDS = ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * Everything Rescind knows about the order it is asked to cancel. Identifiers only: never secrets.
 */
export interface OrderRef {
  provider: ProviderId;
  /** The provider's merchant scope: PAYJS mchid, QFPay mchid, WeChat sub_mchid, Ping++ app id. */
  merchantId: string;
  /** The merchant's own order number (out_trade_no / order_no). */
  orderId: string;
  /** The provider's id for the payment when known: payjs_order_id, QFPay syssn, WeChat transaction_id, Ping++ charge id. */
  providerOrderId?: string;
  /** Order amount in minor units (fen / cents). */
  amount?: number;
  currency?: string;
  /** QFPay pay_type, WeChat trade_type, Ping++ channel, PAYJS order kind ("micropay" | "native" | ...). */
  payType?: string;
  /** When the order was created at the provider, ISO-8601. Reversal windows count from here. */
  createdAt?: string;
}

/** A query normalised into what it means for the money. */
export type Observation =
  | ({ status: 'unpaid' } & ObservedFacts)
  | ({ status: 'paying' } & ObservedFacts)
  | ({ status: 'paid' } & ObservedFacts)
  | ({ status: 'refunding'; refundedAmount: number } & ObservedFacts)
  | ({ status: 'refunded'; refundedAmount: number; full: boolean } & ObservedFacts)
  | ({ status: 'closed'; reason: ClosedReason } & ObservedFacts)
  | ({ status: 'not_found' } & ObservedFacts)
  | ({ status: 'unknown'; reason: string } & ObservedFacts);

export type ObservationStatus = Observation['status'];
export type ClosedReason = 'closed' | 'expired' | 'reversed' | 'failed';

export interface ObservedFacts {
  /** The provider's own words for this state, e.g. "trade_state=USERPAYING" or "respcd=1143". */
  providerCode: string;
  providerOrderId?: string;
  amount?: number;
  payType?: string;
  paidAt?: string;
  /** Money already sent back by a reversal of a paid order (Ping++ `paid && reversed`, PAYJS reverse). */
  reversedAfterPayment?: boolean;
}

/** What a close or reverse call achieved, as the provider said it. */
export interface CancelResult {
  /** done: applied now; already: the order was already in that final state; rejected: provider said no. */
  result: 'done' | 'already' | 'rejected';
  providerCode: string;
  message?: string;
}

export interface RefundRequest {
  /** Derived from the order, never random: the same order always gets the same key. */
  refundKey: string;
  /** Amount to refund, minor units. */
  amount: number;
  /** The original order total, minor units (WeChat needs it). */
  totalAmount: number;
  reason?: string;
}

export type RefundStatus = 'processing' | 'succeeded' | 'failed' | 'not_found';

export interface RefundResult {
  /** accepted covers "processing": confirm it with queryRefund. */
  result: 'accepted' | 'succeeded' | 'already' | 'rejected';
  providerCode: string;
  refundId?: string;
  message?: string;
}

export interface RefundObservation {
  status: RefundStatus;
  providerCode: string;
  refundId?: string;
  amount?: number;
}

/** A provider adapter. A call the provider does not offer throws NotSupportedError. */
export interface ProviderAdapter {
  readonly id: ProviderId;
  queryOrder(order: OrderRef, signal?: AbortSignal): Promise<Observation>;
  closeOrder(order: OrderRef, signal?: AbortSignal): Promise<CancelResult>;
  reverseOrder(order: OrderRef, signal?: AbortSignal): Promise<CancelResult>;
  refundOrder(order: OrderRef, refund: RefundRequest, signal?: AbortSignal): Promise<RefundResult>;
  queryRefund(order: OrderRef, refundKey: string, signal?: AbortSignal): Promise<RefundObservation>;
}

/** A verified provider notification, reduced to what Rescind needs to wake the order's workflow. */
export interface PaymentNotice {
  provider: ProviderId;
  /** Merchant scope as in OrderRef.merchantId, when the notification carries it. */
  merchantId?: string;
  orderId: string;
  providerOrderId?: string;
  event: 'paid' | 'refunded' | 'other';
}

/** Result of verifying a notification on its raw bytes. Unverified bodies are never parsed into a notice. */
export type NoticeVerification = { ok: true; notice: PaymentNotice } | { ok: false; reason: string };

/** What a receiver must answer so the provider stops retrying. */
export interface NoticeAck {
  status: number;
  contentType?: string;
  body: string;
}
