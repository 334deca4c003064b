import type { ProviderId } from './providers.js';

/**
 * Everything Rescind knows about the order it is asked to cancel. Identifiers only: never secrets.
 */
export interface OrderRef {
  provider: ProviderId;
  /** The provider's merchant scope: PAYJS mchid, QFPay mchid, WeChat sub_mchid, Ping++ app id. */
  merchantId: string;
  /** The merchant's own order number (out_trade_no / order_no). */
  orderId: string;
  /**
   * The provider's id for the payment when known: payjs_order_id, QFPay syssn, WeChat
   * transaction_id, Ping++ charge id.
   */
  providerOrderId?: string;
  /** Order amount in minor units (fen / cents). */
  amount?: number;
  currency?: string;
  /** QFPay pay_type, WeChat trade_type, Ping++ channel, PAYJS order kind ("micropay" | "native" | ...). */
  payType?: string;
  /** When the order was created at the provider, ISO-8601. Reversal windows count from here. */
  createdAt?: string;
}

/** One workflow per order: starting twice for the same order reaches the same run. */
export function cancellationWorkflowId(provider: ProviderId, merchantId: string, orderId: string): string {
  return `rescind:${provider}:${merchantId}:${orderId}`;
}

/** The refund key for an order: stable across retries, resets and continue-as-new. */
export function refundKeyFor(order: Pick<OrderRef, 'orderId'>, sequence: number): string {
  return `${order.orderId}-RF${sequence}`;
}
