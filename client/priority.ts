/**
 * The Temporal priority a cancellation starts with: its class's priority key and the merchant as
 * fairness key (domain/priority.ts says why and which numbers). Every start path uses this, so a
 * run's WorkflowExecutionStarted event shows who asked and for which merchant; its activities
 * inherit it on the provider's task queue.
 */
import type { Priority } from '@temporalio/common';
import {
  CANCELLATION_PRIORITY,
  merchantFairnessKey,
  type CancellationPriorityClass,
  type OrderRef,
} from '../domain/index.js';

export function cancellationPriority(
  priorityClass: CancellationPriorityClass,
  order: Pick<OrderRef, 'provider' | 'merchantId'>,
): Priority {
  return {
    priorityKey: CANCELLATION_PRIORITY[priorityClass],
    fairnessKey: merchantFairnessKey(order.provider, order.merchantId),
  };
}
