/**
 * The three failure channels (docs/architecture.md, "Three failure channels"), decided here and nowhere else.
 *
 * 1. The provider's business "no" is data (CancelResult.result = 'rejected', an Observation).
 * 2. Our own mistakes (configuration, our request signature, malformed request, unsupported call)
 *    are non-retryable: retrying cannot help, an operator must act.
 * 3. Transport trouble (network, timeout, 5xx, rate limit) and answers we cannot trust
 *    (bad response signature, unparseable body) are retryable.
 *
 * Types are explicit strings, never constructor names, so bundling or minifying cannot change them.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType, NON_RETRYABLE_TYPES, type ProviderId } from '../domain/index.js';

export { FailureType, NON_RETRYABLE_TYPES };

/** Base error of every adapter failure; carries the channel as `type`. */
export class ProviderError extends Error {
  constructor(
    readonly type: FailureType,
    readonly provider: ProviderId,
    message: string,
    readonly details: { call?: string; httpStatus?: number; providerCode?: string; retryAfterMs?: number } = {},
  ) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return !NON_RETRYABLE_TYPES.includes(this.type);
  }
}

export const notSupported = (provider: ProviderId, call: string): ProviderError =>
  new ProviderError(FailureType.NotSupported, provider, `${call} is not offered by this provider`, { call });

export const configurationError = (provider: ProviderId, message: string): ProviderError =>
  new ProviderError(FailureType.Configuration, provider, message);

export const requestRejected = (
  provider: ProviderId,
  call: string,
  message: string,
  details: { httpStatus?: number; providerCode?: string } = {},
): ProviderError =>
  new ProviderError(FailureType.RequestRejected, provider, `${call}: ${message}`, { call, ...details });

export const transient = (
  provider: ProviderId,
  call: string,
  message: string,
  details: { httpStatus?: number; providerCode?: string; retryAfterMs?: number } = {},
): ProviderError => new ProviderError(FailureType.Transient, provider, `${call}: ${message}`, { call, ...details });

export const rateLimited = (provider: ProviderId, call: string, retryAfterMs?: number): ProviderError =>
  new ProviderError(FailureType.RateLimited, provider, `${call}: rate limited by the provider`, { call, retryAfterMs });

export const untrustedResponse = (provider: ProviderId, call: string, why: string): ProviderError =>
  new ProviderError(FailureType.UntrustedResponse, provider, `${call}: response not trusted (${why})`, { call });

export const inProgress = (
  provider: ProviderId,
  call: string,
  providerCode: string,
  retryAfterMs: number,
): ProviderError =>
  new ProviderError(FailureType.InProgress, provider, `${call}: still in progress (${providerCode})`, {
    call,
    providerCode,
    retryAfterMs,
  });

export const isProviderError = (err: unknown): err is ProviderError => err instanceof ProviderError;

/** Turn any thrown value into the ApplicationFailure Temporal records (no secrets in messages). */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof ProviderError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      details: [err.details],
      nextRetryDelay: err.details.retryAfterMs,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({ type: FailureType.Transient, message, nonRetryable: false });
}
