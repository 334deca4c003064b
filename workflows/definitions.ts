/**
 * The public face of the cancellation workflow: its input, outcomes, state, and the query,
 * signal and update operators and callers use. Clients import from here; so do workflows.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClosedReason, Observation, OrderRef, ProviderId } from '../activities/providers/provider.js';

export interface CancellationRequest {
  order: OrderRef;
  /** Free text for the audit trail (e.g. "payment timeout"). */
  reason?: string;
  /** Who asked: a service name, an operator, "reconciliation". */
  requestedBy?: string;
  /** Override the provider's default cadence for this order (e.g. slower for old orders; faster in a demo). */
  cadence?: Cadence;
}

/** Timing knobs of the policy, in ms; anything left out keeps the provider default (workflows/rules.ts). */
export interface Cadence {
  /** First wait after an untrusted/failed query; doubles up to maxDelay. */
  unknownRetryDelayMs?: number;
  unknownRetryMaxDelayMs?: number;
  /** How long to wait between queries that confirm a write. */
  confirmDelayMs?: number;
  /** Polling while the provider says "paying" (QFPay 1143/1145, WeChat USERPAYING). */
  payingPollIntervalMs?: number;
  payingPollBudgetMs?: number;
  /** How often to ask about a refund still processing. */
  refundPollMs?: number;
}

/** Where a run stands; also the RescindStage search attribute. */
export type Stage = 'querying' | 'waiting' | 'closing' | 'reversing' | 'refunding' | 'confirming' | 'needs_review' | 'done';

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

export type OutcomeKind = Outcome['kind'];

export interface ObservationRecord {
  at: string;
  observation: Observation;
}

export interface CallRecord {
  at: string;
  call: 'queryOrder' | 'closeOrder' | 'reverseOrder' | 'refundOrder' | 'queryRefund';
  /** What came back, in a few words: "done (SUCCESS)", "failed: transient ...". */
  result: string;
}

export interface CancellationState {
  order: OrderRef;
  stage: Stage;
  /** One line an operator can read. */
  details: string;
  observations: ObservationRecord[];
  calls: CallRecord[];
  /** Totals across continue-as-new, where the lists above keep only the latest entries. */
  totals: { observations: number; calls: number };
  review?: { reason: string; since: string };
  outcome?: Outcome;
}

/** Current stage, observations and every provider call so far. Never contains secrets. */
export const getStateQuery = defineQuery<CancellationState>('getState');

export interface NotificationSignal {
  provider: ProviderId;
  event: 'paid' | 'refunded' | 'other';
  receivedAt: string;
}
/** A verified provider notification arrived for this order: stop waiting and query now. */
export const paymentNotifiedSignal = defineSignal<[NotificationSignal]>('paymentNotified');

export type ReviewResolution =
  /** Clear the review and run the policy again from a fresh query. */
  | { action: 'retry'; operator?: string; note?: string }
  /** Close the case by hand: the note says what was done outside Rescind. */
  | { action: 'mark_resolved'; note: string; operator?: string };
/** Resolve a run that waits in needs_review. Rejected (validator) unless the run is in review. */
export const resolveReviewUpdate = defineUpdate<CancellationState, [ReviewResolution]>('resolveReview');

/** One workflow per order: starting twice for the same order reaches the same run. */
export function cancellationWorkflowId(provider: ProviderId, merchantId: string, orderId: string): string {
  return `rescind:${provider}:${merchantId}:${orderId}`;
}

/** The refund key for an order: stable across retries, resets and continue-as-new. */
export function refundKeyFor(order: OrderRef, sequence: number): string {
  return `${order.orderId}-RF${sequence}`;
}

export const CANCEL_ORDER_WORKFLOW = 'cancelOrder';
