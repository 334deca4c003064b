/** What a provider's write calls achieved, as the provider said it. */

/** What a close or reverse call achieved. */
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

export const REFUND_STATUSES = ['processing', 'succeeded', 'failed', 'not_found'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

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
