/** Where a cancellation stands and how it ended: the vocabulary of runs, search attributes and callers. */
import type { ClosedReason } from './observation.js';

/** The registered name of the cancellation workflow. */
export const CANCEL_ORDER_WORKFLOW = 'cancelOrder';

/** Every stage a run can be in; also the RescindStage search attribute. */
export const STAGES = [
  'querying',
  'waiting',
  'closing',
  'reversing',
  'refunding',
  'confirming',
  'needs_review',
  'done',
] as const;
export type Stage = (typeof STAGES)[number];

/** Every outcome kind; also the RescindOutcome search attribute. */
export const OUTCOME_KINDS = [
  'closed_unpaid',
  'reversed',
  'refunded',
  'already_closed',
  'already_refunded',
  'not_found',
  'needs_review',
  'resolved_by_operator',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** How a cancellation ended. Money is only reported as returned on a verified provider answer. */
export type Outcome =
  /** We closed (or reversed) an order nobody had paid. */
  | { kind: 'closed_unpaid'; via: 'close' | 'reverse'; providerCode: string }
  /** We reversed the order; `moneyReturned` when the provider said a paid order's money went back. */
  | { kind: 'reversed'; moneyReturned: boolean; providerCode: string }
  /** We refunded it: the provider confirmed the refund. */
  | { kind: 'refunded'; amount: number; refundKey: string; refundId?: string; providerCode: string }
  /** It was already closed, expired, failed or reversed before we acted. */
  | { kind: 'already_closed'; reason: ClosedReason; providerCode: string }
  /** It was already fully refunded before we acted. */
  | { kind: 'already_refunded'; refundedAmount: number; providerCode: string }
  /** The provider has no such order. */
  | { kind: 'not_found'; providerCode: string }
  /** Nobody resolved the review in time; the reason says what to look at. */
  | { kind: 'needs_review'; reason: string }
  /** An operator looked and closed the case by hand. */
  | { kind: 'resolved_by_operator'; note: string; reviewReason: string; operator?: string };

// Compile-time guard: the list above and the union agree.
const kindsAreComplete: [Exclude<Outcome['kind'], OutcomeKind>] extends [never] ? true : never = true;
void kindsAreComplete;

/** An outcome in words, e.g. "refunded 1200 (refund key A1-RF1, SUCCESS)": CLI, API and the UI's details. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'closed_unpaid':
      return `closed unpaid by ${outcome.via} (${outcome.providerCode})`;
    case 'reversed':
      return `reversed${outcome.moneyReturned ? ', money returned' : ''} (${outcome.providerCode})`;
    case 'refunded': {
      const id = outcome.refundId ? `, refund id ${outcome.refundId}` : '';
      return `refunded ${outcome.amount} (refund key ${outcome.refundKey}${id}, ${outcome.providerCode})`;
    }
    case 'already_closed':
      return `already ${outcome.reason} before Rescind acted (${outcome.providerCode})`;
    case 'already_refunded':
      return `already refunded ${outcome.refundedAmount} before Rescind acted (${outcome.providerCode})`;
    case 'not_found':
      return `the provider has no such order (${outcome.providerCode})`;
    case 'needs_review':
      return `needs review: ${outcome.reason}`;
    case 'resolved_by_operator':
      return `resolved by ${outcome.operator ?? 'an operator'}: ${outcome.note} (review was: ${outcome.reviewReason})`;
  }
}
