/**
 * What each provider call did, as attributes of the activity's span (the worker wraps the adapters
 * with this only when tracing is on). Only the provider, the call, how it ended and the provider's
 * own code: never the order's amount, a key, a signature, a request or an answer body.
 */
import { trace } from '@opentelemetry/api';
import { isProviderError } from './errors.js';
import type { ProviderAdapter } from './providers/provider.js';
import { FailureType, type ProviderId } from '../domain/index.js';

export const TRACE_ATTRIBUTES = {
  provider: 'rescind.provider',
  call: 'rescind.call',
  /** One of CALL_RESULTS. */
  result: 'rescind.result',
  /** The answer's meaning: an observation's status or a write's result (paid, done, accepted, ...). */
  answer: 'rescind.answer',
  providerCode: 'rescind.provider_code',
  /** For a call that threw: the failure channel (activities/errors.ts). */
  failureType: 'rescind.failure_type',
} as const;

/**
 * ok: a trusted answer; rejected: the provider said no; unknown: it answered but the order's state
 * cannot be known from it; transient: network, timeout, 5xx or rate limit; untrusted: an answer that
 * failed verification; in_progress: the provider is still working; failed: our own mistake (retrying
 * cannot help).
 */
export const CALL_RESULTS = ['ok', 'rejected', 'unknown', 'transient', 'untrusted', 'in_progress', 'failed'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

type Call = Exclude<keyof ProviderAdapter, 'id'>;
const CALLS: Call[] = ['queryOrder', 'closeOrder', 'reverseOrder', 'refundOrder', 'queryRefund'];

/** An answer's meaning and result; every adapter answer has a status (observations) or a result (writes). */
function answered(value: unknown): { answer: string; result: CallResult; providerCode?: string } {
  const v = value as { status?: string; result?: string; providerCode?: string };
  const answer = v.status ?? v.result ?? 'none';
  const result = answer === 'unknown' ? 'unknown' : answer === 'rejected' ? 'rejected' : 'ok';
  return { answer, result, providerCode: v.providerCode };
}

function failed(err: unknown): { result: CallResult; failureType: string; providerCode?: string } {
  if (!isProviderError(err)) return { result: 'failed', failureType: 'error' };
  const byType: Partial<Record<FailureType, CallResult>> = {
    [FailureType.Transient]: 'transient',
    [FailureType.RateLimited]: 'transient',
    [FailureType.UntrustedResponse]: 'untrusted',
    [FailureType.InProgress]: 'in_progress',
  };
  return { result: byType[err.type] ?? 'failed', failureType: err.type, providerCode: err.details.providerCode };
}

/** Record one call on the active span (the activity's, started by Temporal's activity interceptor). */
async function traced<T>(provider: ProviderId, call: Call, work: () => Promise<T>): Promise<T> {
  const span = trace.getActiveSpan();
  span?.setAttributes({ [TRACE_ATTRIBUTES.provider]: provider, [TRACE_ATTRIBUTES.call]: call });
  try {
    const value = await work();
    const { answer, result, providerCode } = answered(value);
    span?.setAttributes({
      [TRACE_ATTRIBUTES.result]: result,
      [TRACE_ATTRIBUTES.answer]: answer,
      ...(providerCode ? { [TRACE_ATTRIBUTES.providerCode]: providerCode } : {}),
    });
    return value;
  } catch (err) {
    const { result, failureType, providerCode } = failed(err);
    span?.setAttributes({
      [TRACE_ATTRIBUTES.result]: result,
      [TRACE_ATTRIBUTES.failureType]: failureType,
      ...(providerCode ? { [TRACE_ATTRIBUTES.providerCode]: providerCode } : {}),
    });
    throw err;
  }
}

/** The adapter, with each call recorded on the active span. */
export function tracedAdapter(adapter: ProviderAdapter): ProviderAdapter {
  const wrapped: Record<string, unknown> = { id: adapter.id };
  for (const call of CALLS) {
    const method = adapter[call] as (...args: unknown[]) => Promise<unknown>;
    wrapped[call] = (...args: unknown[]) => traced(adapter.id, call, () => method.apply(adapter, args));
  }
  return wrapped as unknown as ProviderAdapter;
}

/** Every adapter, traced. */
export const tracedAdapters = (
  adapters: Partial<Record<ProviderId, ProviderAdapter>>,
): Partial<Record<ProviderId, ProviderAdapter>> =>
  Object.fromEntries(Object.entries(adapters).map(([id, a]) => [id, tracedAdapter(a!)]));
