/**
 * A run's calls to its provider: activities on the provider's own task queue (rate-limited
 * server-side), retried by Temporal. A failure that outlives the retries comes back as a value.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  TimeoutFailure,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import type { Activities, WriteOptions } from '../activities/index.js';
import { NON_RETRYABLE_TYPES, PROVIDER_CALL_TIMEOUT_SECONDS, providerTaskQueue } from '../domain/index.js';
import type { ProviderCall } from './definitions.js';
import type { CallAnswer } from './memory.js';
import { recordCall, type Run } from './run.js';

/** The provider's activities; `summary` names the call in the UI. */
export function provider(run: Run, summary: string, options: Partial<ActivityOptions> = {}): Activities {
  return proxyActivities<Activities>({
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, run.request.order.provider),
    summary,
    startToCloseTimeout: `${PROVIDER_CALL_TIMEOUT_SECONDS}s`,
    scheduleToCloseTimeout: '30m',
    retry: {
      initialInterval: '2s',
      backoffCoefficient: 2,
      maximumInterval: '1m',
      maximumAttempts: 25,
      nonRetryableErrorTypes: NON_RETRYABLE_TYPES,
    },
    ...options,
  });
}

/** "In progress" answers to a write (QFPay 1143/1145) are retried on the order's polling cadence. */
export function writeOptions(run: Run): WriteOptions {
  return { inProgressRetryMs: run.request.cadence?.payingPollIntervalMs };
}

/**
 * Make one provider call; a failure after all retries is recorded and handed back to the policy.
 * `byNotification`: a notification brought this call forward (the record says so).
 */
export async function callProvider<T>(
  run: Run,
  call: ProviderCall,
  send: () => Promise<T>,
  byNotification = false,
): Promise<CallAnswer<T>> {
  try {
    return { ok: true, value: await send() };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    const type = cause instanceof ApplicationFailure ? (cause.type ?? 'error') : 'timeout';
    const message = cause?.message ?? err.message;
    // The deadline passed before any attempt started: the task waited in the queue all along. Only a
    // first attempt ends so: a retry's ScheduleToStart deadline (its own schedule time plus the
    // ScheduleToClose budget the server copies in) falls after the ScheduleToClose one, which wins.
    if (cause instanceof TimeoutFailure && cause.timeoutType === TimeoutType.SCHEDULE_TO_START) {
      recordCall(
        run,
        call,
        `not sent: waited in the ${run.request.order.provider} queue past its deadline`,
        byNotification,
      );
      return { ok: false, type, message, final: false, notSent: true };
    }
    recordCall(run, call, `failed: ${type}: ${message}`, byNotification);
    return { ok: false, type, message, final: NON_RETRYABLE_TYPES.includes(type as never) };
  }
}
