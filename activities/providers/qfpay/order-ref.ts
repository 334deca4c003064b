/** What the adapter needs from an OrderRef before it may call QFPay. */
import { configurationError, requestRejected } from '../../errors.js';
import type { QfpayConfig } from './config.js';
import type { OrderRef } from '../../../domain/index.js';
import { qfpayTime } from './time.js';

/** The configured mchid serves only its own orders (OrderRef.merchantId is the QFPay mchid). */
export function assertMerchant(config: QfpayConfig, order: OrderRef): void {
  if (config.mchid && order.merchantId && order.merchantId !== config.mchid) {
    throw configurationError(
      'qfpay',
      `order ${order.orderId} belongs to mchid ${order.merchantId}; this worker is configured for mchid ${config.mchid}`,
    );
  }
}

/** How to name the payment: its syssn when known, else our out_trade_no (§4, §5.1). */
export const paymentLookup = (order: OrderRef): { syssn: string } | { out_trade_no: string } =>
  order.providerOrderId ? { syssn: order.providerOrderId } : { out_trade_no: order.orderId };

/**
 * reversal and close must describe the original transaction: its amount and its time (§5.1,
 * gotcha G4). They come from the OrderRef; without them the call cannot be made.
 */
export function originalTransaction(order: OrderRef, call: string): { txamt: string; txdtm: string } {
  if (order.amount === undefined || !Number.isSafeInteger(order.amount) || order.amount <= 0) {
    throw requestRejected('qfpay', call, 'OrderRef.amount (the original txamt, minor units) is required');
  }
  const created = order.createdAt ? new Date(order.createdAt) : undefined;
  if (!created || Number.isNaN(created.getTime())) {
    throw requestRejected('qfpay', call, 'OrderRef.createdAt (the original txdtm) is required');
  }
  return { txamt: String(order.amount), txdtm: qfpayTime(created) };
}

/**
 * When the order was created, for choosing the months a lookup searches (§4.2); undefined when the OrderRef
 * has no usable createdAt, and the lookup then says it could search the current month only.
 */
export function creationTime(order: OrderRef): Date | undefined {
  const created = order.createdAt ? new Date(order.createdAt) : undefined;
  return created && !Number.isNaN(created.getTime()) ? created : undefined;
}
