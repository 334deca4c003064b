/**
 * The public face of the cancellation workflow: its input, outcomes, state, and the query,
 * signal and update operators and callers use. Clients import from here; so do workflows.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Observation, OrderRef, Outcome, ProviderId, Stage } from '../domain/index.js';
import type { SeenNotice } from './notices.js';

export interface CancellationRequest {
  order: OrderRef;
  /** Free text for the audit trail (e.g. "payment timeout"). */
  reason?: string;
  /** Who asked: a service name, an operator, "reconciliation". */
  requestedBy?: string;
  /** Override the provider's default cadence for this order (e.g. slower for old orders; faster in a demo). */
  cadence?: Cadence;
  /**
   * Set by Rescind's client, never by callers: the start already carries the run's search attributes,
   * so the run spends fewer history events on them (workflows/attributes.ts).
   */
  attributesAtStart?: true;
  /**
   * Set by Rescind's client with attributesAtStart, never by callers: RescindStage is written only when
   * the run comes to rest (waiting, needs_review, done) and when it leaves a rest (workflows/attributes.ts).
   */
  stagesAtRest?: true;
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

export interface ObservationRecord {
  at: string;
  observation: Observation;
}

/** The provider calls a run makes (the activity names). */
export type ProviderCall = 'queryOrder' | 'closeOrder' | 'reverseOrder' | 'refundOrder' | 'queryRefund';

/**
 * One line of the run's record list (`calls`): a provider call, a notification received, or an
 * operator's decision. `call` names the provider call, or repeats the kind for the other two.
 */
export type CallRecord = {
  at: string;
  result: string;
  /** A query or refund check a notification brought forward: it counted only if its answer was news (docs/policy.md). */
  byNotification?: true;
} & ({ kind: 'call'; call: ProviderCall } | { kind: 'notification' | 'operator'; call: 'notification' | 'operator' });

export interface CancellationState {
  order: OrderRef;
  stage: Stage;
  /** One line an operator can read. */
  details: string;
  observations: ObservationRecord[];
  /** Provider calls, notifications and operator decisions, latest last; `result` says in a few words what came back. */
  calls: CallRecord[];
  /** Totals across continue-as-new, where the lists above keep only the latest entries; `calls` counts provider calls only. */
  totals: { observations: number; calls: number };
  review?: { reason: string; since: string };
  outcome?: Outcome;
  /** Notices with an id seen lately (bounded): a repeated delivery adds to its `deliveries`, not to `calls`. */
  notices: SeenNotice[];
}

/** Current stage, observations and the record list so far. Never contains secrets. */
export const getStateQuery = defineQuery<CancellationState>('getState');

export interface NotificationSignal {
  provider: ProviderId;
  event: 'paid' | 'refunded' | 'other';
  receivedAt: string;
  /**
   * Identifies one notice, so duplicates wake a run at most once: the provider's event id where it
   * has one, else the SHA-256 (hex) of the raw body. Optional: without it every delivery is new.
   */
  noticeId?: string;
}
/**
 * A verified provider notification arrived for this order: look now instead of at the end of the
 * current wait, at most once per wait, and without spending the policy's budget (docs/policy.md).
 */
export const paymentNotifiedSignal = defineSignal<[NotificationSignal]>('paymentNotified');

export type ReviewResolution =
  /** Clear the review and run the policy again from a fresh query. */
  | { action: 'retry'; operator?: string; note?: string }
  /** Close the case by hand: the note says what was done outside Rescind. */
  | { action: 'mark_resolved'; note: string; operator?: string };
/** Resolve a run that waits in needs_review. Rejected (validator) unless the run is in review. */
export const resolveReviewUpdate = defineUpdate<CancellationState, [ReviewResolution]>('resolveReview');
