/**
 * The failure types activities attach to ApplicationFailures (docs/architecture.md, "Three failure
 * channels"). Plain constants, so both the workflow bundle and the activities can use them.
 */
export const FailureType = {
  NotSupported: 'not_supported',
  Configuration: 'configuration',
  RequestRejected: 'request_rejected',
  Transient: 'transient',
  RateLimited: 'rate_limited',
  UntrustedResponse: 'untrusted_response',
  InProgress: 'in_progress',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failure types that no retry can fix: an operator must act. */
export const NON_RETRYABLE_TYPES: FailureType[] = [
  FailureType.NotSupported,
  FailureType.Configuration,
  FailureType.RequestRejected,
];
