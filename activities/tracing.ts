/**
 * What each provider call did, as attributes of the activity's span (the worker wraps the adapters
 * with this only when tracing is on). Only the provider, the call, how it ended and the provider's
 * own code: never the order's amount, a key, a signature, a request or an answer body.
 */
import { trace } from '@opentelemetry/api';
import { isProviderError } from './errors.js';
import type { ProviderAdapter } from './providers/provider.js';
import type { ProviderId } from '../domain/index.js';
import { answerResult, failureResult } from './call-metrics.js';

export const TRACE_ATTRIBUTES = {
  provider: 'rescind.provider',
  call: 'rescind.call',
  /** ok, rejected, transient, untrusted, in_progress or error: the metrics' classes (activities/call-metrics.ts). */
  result: 'rescind.result',
  /** The answer's meaning: an observation's status or a write's result (paid, done, accepted, ...). */
  answer: 'rescind.answer',
  providerCode: 'rescind.provider_code',
  /** For a call that threw: the failure channel (activities/errors.ts). */
  failureType: 'rescind.failure_type',
} as const;

type Call = Exclude<keyof ProviderAdapter, 'id'>;
const CALLS: Call[] = ['queryOrder', 'closeOrder', 'reverseOrder', 'refundOrder', 'queryRefund'];

/** Record one call on the active span (the activity's, started by Temporal's activity interceptor). */
async function traced<T>(provider: ProviderId, call: Call, work: () => Promise<T>): Promise<T> {
  const span = trace.getActiveSpan();
  span?.setAttributes({ [TRACE_ATTRIBUTES.provider]: provider, [TRACE_ATTRIBUTES.call]: call });
  try {
    const value = await work();
    const { status, result, providerCode } = value as { status?: string; result?: string; providerCode?: string };
    span?.setAttributes({
      [TRACE_ATTRIBUTES.result]: answerResult(value),
      [TRACE_ATTRIBUTES.answer]: status ?? result ?? 'none',
      ...(providerCode ? { [TRACE_ATTRIBUTES.providerCode]: providerCode } : {}),
    });
    return value;
  } catch (err) {
    const providerCode = isProviderError(err) ? err.details.providerCode : undefined;
    span?.setAttributes({
      [TRACE_ATTRIBUTES.result]: failureResult(err),
      [TRACE_ATTRIBUTES.failureType]: isProviderError(err) ? err.type : 'unexpected',
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
