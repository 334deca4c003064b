/**
 * What a verified payment notification does to an order's cancellation: wake the open run, or, when
 * the cancellation has ended without money and the customer paid afterwards, start a run that refunds
 * it (late-payment.ts). Anything else is left alone.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OutcomeKind } from '../../../domain/index.js';
import { paymentNotifiedSignal, type NotificationSignal } from '../../../workflows/definitions.js';
import { parseNotificationSignal } from '../../request.js';
import { startLatePaymentRun } from './late-payment.js';

export type NotificationDelivery =
  /** A run was open: it stops waiting and queries now. */
  | { result: 'signalled' }
  /** The cancellation had ended without money; a new run (`runId`) queries the order and refunds the payment. */
  | { result: 'late_payment_run'; runId: string; previousRunId: string; previousOutcome: OutcomeKind }
  /** Rescind never cancelled this order. */
  | { result: 'no_cancellation' }
  /** The cancellation has ended and the notification gives no reason to start again; `reason` says why. */
  | { result: 'left_alone'; reason: string };

/** Deliver a verified notification (see the module comment). Bad input throws RequestError. */
export async function deliverPaymentNotification(
  client: Client,
  workflowId: string,
  notification: unknown,
): Promise<NotificationDelivery> {
  const signal = parseNotificationSignal(notification);
  if (await wake(client, workflowId, signal)) return { result: 'signalled' };
  const decision = await startLatePaymentRun(client, workflowId, signal);
  if (decision.result !== 'running') return decision;
  // Another notification started a run a moment ago: wake it like any open run.
  if (await wake(client, workflowId, signal)) return { result: 'signalled' };
  return { result: 'left_alone', reason: 'a run opened and finished while this notification was being handled' };
}

/** Signal the open run; false when none is open. */
async function wake(client: Client, workflowId: string, signal: NotificationSignal): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(paymentNotifiedSignal, signal);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
