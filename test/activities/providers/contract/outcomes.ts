/** Shared vocabulary of the contract suite: settled outcomes, the common fault kinds, and the timeout hold. */
import type { FailureType } from '../../../../domain/index.js';
import type { FaultKind } from '../../../../sandbox/faults.js';

/** Name only the fields that matter (toEqual with it is a subset match). */
export const like = (fields: Record<string, unknown>): unknown => expect.objectContaining(fields);

/** A call's outcome as data: its answer, or what it threw. */
export type Settled<T> =
  | { answer: T }
  | { thrown: { type?: string; retryable?: boolean; message: string; details?: Record<string, unknown> } };

export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { answer: await work };
  } catch (err) {
    const e = err as { type?: string; retryable?: boolean; message: string; details?: Record<string, unknown> };
    return { thrown: { type: e.type, retryable: e.retryable, message: e.message, details: e.details } };
  }
}

/** A thrown outcome of this failure type, with other fields as given. */
export const thrown = (type: FailureType, fields: Record<string, unknown> = {}): unknown => ({
  thrown: like({ type, ...fields }),
});

/** How the adapter reports each fault kind the sandbox injects, when the provider meets it the common way. */
export const FAULT_TYPES: Record<FaultKind, FailureType> = {
  http_500: 'transient',
  timeout: 'transient',
  reset: 'transient',
  rate_limit: 'rate_limited',
  in_progress: 'in_progress',
  bad_signature: 'untrusted_response',
  applied_response_lost: 'transient',
  // Held past the call's budget: the client gives up although the provider applied it.
  slow: 'transient',
};

/** Faults after which the sandbox has applied the call (the caller cannot tell). */
export const APPLIED_KINDS: readonly FaultKind[] = ['bad_signature', 'applied_response_lost', 'slow'];

/** Faults every provider meets the same way on a query: it throws (no answer arrives), whatever the provider's codes. */
export const TRANSPORT_KINDS = [
  'http_500',
  'timeout',
  'reset',
  'rate_limit',
  'applied_response_lost',
] as const satisfies readonly FaultKind[];

/**
 * The adapters' request budget: the production default (activities/providers/http.ts). A sandbox
 * answer takes milliseconds on an idle machine, but the whole suite on two loaded cores can stall
 * this process for longer than 500 ms (the former budget), and an ordinary call must not time out.
 */
export const ADAPTER_TIMEOUT_MS = 10_000;
/** The timeout and slow faults: the adapter that meets one has this budget, and the sandbox holds its answer past it. */
export const TIMEOUT_FAULT_BUDGET_MS = 500;
export const HOLD_MS = 600;

/**
 * What a fault needs from the sandbox (the hold, for timeout and slow), the budget of the call that meets it
 * (ADAPTER_TIMEOUT_MS unless given), and how long to let it finish afterwards.
 */
export const FAULT_HOLD: Record<FaultKind, { holdMs?: number; budgetMs?: number; waitMs: number }> = {
  http_500: { waitMs: 0 },
  timeout: { holdMs: HOLD_MS, budgetMs: TIMEOUT_FAULT_BUDGET_MS, waitMs: HOLD_MS },
  reset: { waitMs: 0 },
  rate_limit: { waitMs: 0 },
  in_progress: { waitMs: 0 },
  bad_signature: { waitMs: 0 },
  applied_response_lost: { waitMs: 0 },
  slow: { holdMs: HOLD_MS, budgetMs: TIMEOUT_FAULT_BUDGET_MS, waitMs: HOLD_MS },
};

/** The request budget of the call that meets a fault of this kind. */
export const faultBudgetMs = (kind: FaultKind): number => FAULT_HOLD[kind].budgetMs ?? ADAPTER_TIMEOUT_MS;

/** Let a held request finish in the sandbox, so no timer outlives the test. */
export const letFaultFinish = (kind: FaultKind): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, FAULT_HOLD[kind].waitMs));
