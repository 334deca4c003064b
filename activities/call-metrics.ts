/**
 * Each provider call attempt's latency and result class for Rescind's metrics
 * (rescind_provider_call_duration_seconds). The class follows the failure channels of errors.ts:
 * an answer is ok, or rejected when the provider said no; a failure is transient, untrusted,
 * in_progress, or error for our own mistakes.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ProviderId } from '../domain/index.js';
import { providerCallSeconds, type CallResult } from '../platform/metrics/registry.js';
import { FailureType, isProviderError } from './errors.js';

/** The activity names; the same names the workflow records its calls under. */
export type ProviderCallName = 'queryOrder' | 'closeOrder' | 'reverseOrder' | 'refundOrder' | 'queryRefund';

const FAILURE_RESULTS: Record<FailureType, CallResult> = {
  [FailureType.Transient]: 'transient',
  [FailureType.RateLimited]: 'transient',
  [FailureType.UntrustedResponse]: 'untrusted',
  [FailureType.InProgress]: 'in_progress',
  [FailureType.Configuration]: 'error',
  [FailureType.RequestRejected]: 'error',
  [FailureType.NotSupported]: 'error',
};

/** An answer the adapter returned: an `unknown` observation is one the mapper could not trust or read. */
export function answerResult(answer: unknown): CallResult {
  const fields = answer as { status?: unknown; result?: unknown } | null;
  if (fields?.status === 'unknown') return 'untrusted';
  if (fields?.result === 'rejected') return 'rejected';
  return 'ok';
}

/** A failure the call ended with; anything unexpected is retried like a transient one (errors.ts). */
export function failureResult(err: unknown): CallResult {
  const type = isProviderError(err) ? err.type : err instanceof ApplicationFailure ? err.type : undefined;
  return FAILURE_RESULTS[type as FailureType] ?? 'transient';
}

/** Time one call attempt and count it under its result. */
export async function timeProviderCall<T>(
  provider: ProviderId,
  call: ProviderCallName,
  work: () => Promise<T>,
): Promise<T> {
  const stop = providerCallSeconds.startTimer({ provider, call });
  try {
    const answer = await work();
    stop({ result: answerResult(answer) });
    return answer;
  } catch (err) {
    stop({ result: failureResult(err) });
    throw err;
  }
}
