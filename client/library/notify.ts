import type { Client } from '@temporalio/client';
import { deliverPaymentNotification } from '../api/notifications/delivery.js';

/**
 * Deliver a payment notification: the order's open run stops waiting and queries the provider now.
 * When the cancellation has already ended without money (closed unpaid, already closed, not found,
 * reversed without money returned) a "paid" notification starts one new run for the order, which
 * queries and refunds the late payment ({@link deliverPaymentNotification} says which happened).
 * Deliver only notifications whose signature was verified. Returns false when no run received it: no
 * cancellation exists, or the finished one is left alone. Bad input throws RequestError.
 */
export async function notifyPayment(client: Client, workflowId: string, notification: unknown): Promise<boolean> {
  const delivery = await deliverPaymentNotification(client, workflowId, notification);
  return delivery.result === 'signalled' || delivery.result === 'late_payment_run';
}
