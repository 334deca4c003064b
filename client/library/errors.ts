import { RequestError, type FieldError } from '../request.js';
import type { OrderFacts } from './facts.js';

/** No cancellation exists for the order. */
export class CancellationNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`no cancellation ${workflowId}`);
    this.name = 'CancellationNotFoundError';
  }
}

/** The run refused the resolution: it is not waiting for review (or has finished). */
export class ReviewRejectedError extends Error {
  constructor(
    readonly workflowId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReviewRejectedError';
  }
}

/**
 * A cancellation already exists for the order, started with other facts (amount, pay type, ...):
 * attaching to it would silently act on facts the caller did not give. `fields` names each one.
 */
export class CancellationConflictError extends RequestError {
  constructor(
    readonly workflowId: string,
    readonly running: OrderFacts,
    readonly requested: OrderFacts,
    fields: FieldError[],
  ) {
    super(fields);
    this.name = 'CancellationConflictError';
    this.message = `a cancellation for this order (${workflowId}) already exists with other facts: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  }
}

/** waitForOutcome gave up; the cancellation itself goes on. */
export class OutcomeTimeoutError extends Error {
  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
  ) {
    super(`no outcome for ${workflowId} within ${timeoutMs} ms; it is still running`);
    this.name = 'OutcomeTimeoutError';
  }
}
