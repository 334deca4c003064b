/**
 * One cancellation run's durable context: what it exposes to operators (the state query, stage,
 * search attributes, its record list), what it remembers for the policy, and the notification
 * signal and review update that reach it.
 */
import {
  condition,
  patched,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { describeOutcome, type Observation, type OrderRef, type Outcome, type Stage } from '../domain/index.js';
import {
  getStateQuery,
  paymentNotifiedSignal,
  resolveReviewUpdate,
  type CallRecord,
  type CancellationRequest,
  type CancellationState,
  type ObservationRecord,
  type ProviderCall,
  type ReviewResolution,
} from './definitions.js';
import { seeNotice, usableNoticeId, type PaidNotice, type SeenNotice } from './notices.js';
import { freshMemory, type PolicyMemory } from './policy.js';
import { qfpayHkPayType } from './qfpay-pay-types.js';
import { PROVIDER_RULES, QFPAY_RULES_BEFORE_HK_PAY_TYPES, withCadence, type ProviderRules } from './rules.js';
import { isLean, upsertStartAttributes, writesRestsOnly, writesStage } from './attributes.js';
import { OutcomeKey, StageKey } from './search-attributes.js';
import { validateResolution } from './validation.js';

/** What a run hands to its continuation. */
export interface CarriedState {
  memory: PolicyMemory;
  observations: ObservationRecord[];
  calls: CallRecord[];
  totals: { observations: number; calls: number };
  /** Absent when carried from a run before notices were remembered. */
  notices?: SeenNotice[];
  /** The first verified "paid" notice the run received, if any (steps.ts, finishOrLookAgain). */
  paidNotice?: PaidNotice;
  /**
   * The looks that notice has had: absent when none (or carried before they were). Without it a run that
   * continued between looks started counting again and, continued after every look, never reached review.
   */
  paidNoticeLooks?: number;
}

export interface Run {
  readonly request: CancellationRequest;
  readonly rules: ProviderRules;
  readonly state: CancellationState;
  memory: PolicyMemory;
  /** Set by a new provider notice: may end the current wait (steps.ts). */
  notified: boolean;
  /** Set by a notice delivered again; it wakes only runs replaying histories from before notices were remembered. */
  notifiedAgain: boolean;
  /** The operator's answer while the run waits in review. */
  resolution?: ReviewResolution;
  /** Started by Rescind's client with its search attributes: fewer upserts (attributes.ts). */
  readonly leanAttributes: boolean;
  /** Writes RescindStage only at rests and on leaving them (attributes.ts). */
  readonly restsOnly: boolean;
  /** The RescindStage value this run last wrote (or started with). */
  writtenStage: Stage;
  /** The first verified "paid" notice this cancellation received: an outcome without money must account for it. */
  paidNotice?: PaidNotice;
  /** Queries made since the policy last wanted to end without money despite paidNotice. */
  paidNoticeLooks: number;
}

/**
 * Patch id: QFPay's Hong Kong pay types get no reverse or close (not even as the last resort), a paid FPS order is
 * not refunded, and an unpaid one waits out its payment window. Runs recorded before it replay with the rules they
 * ran with. Asked only for those pay types, so other runs carry no marker.
 */
export const HK_PAY_TYPES_PATCH = 'qfpay-hk-pay-types-no-cancel-call';

/** The provider's rules for this order, as the run's history was recorded with them. */
function rulesFor(order: OrderRef): ProviderRules {
  if (order.provider === 'qfpay' && qfpayHkPayType(order.payType) && !patched(HK_PAY_TYPES_PATCH))
    return QFPAY_RULES_BEFORE_HK_PAY_TYPES;
  return PROVIDER_RULES[order.provider];
}

const KEEP_OBSERVATIONS = 20;
const KEEP_CALLS = 40;

/** Set up the run: its state, its handlers, its first search attributes. */
export function startRun(request: CancellationRequest, carried: CarriedState | undefined): Run {
  const order = request.order;
  const memory = carried?.memory ?? freshMemory();
  const run: Run = {
    request,
    rules: withCadence(rulesFor(order), request.cadence),
    state: {
      order,
      stage: 'querying',
      details: 'starting',
      observations: carried?.observations ?? [],
      calls: carried?.calls ?? [],
      totals: carried?.totals ?? { observations: 0, calls: 0 },
      notices: carried?.notices ?? [],
    },
    memory,
    notified: false,
    notifiedAgain: false,
    leanAttributes: isLean(request),
    restsOnly: writesRestsOnly(request),
    // What the start set (a continued run is set back to it by upsertStartAttributes below).
    writtenStage: 'querying',
    paidNotice: carried?.paidNotice,
    paidNoticeLooks: carried?.paidNoticeLooks ?? 0,
  };
  setHandler(getStateQuery, () => run.state);
  setHandler(paymentNotifiedSignal, (signal) => {
    const id = usableNoticeId(signal.noticeId);
    const { duplicate, seen } = seeNotice(run.state.notices, id, Date.now());
    run.state.notices = seen;
    if (signal.event === 'paid' && !run.paidNotice)
      run.paidNotice = { ...(id ? { id } : {}), receivedAt: signal.receivedAt };
    // A repeat is counted on its notice, not recorded again: the record list stays about the order.
    if (duplicate) {
      run.notifiedAgain = true;
      return;
    }
    run.notified = true;
    note(run, 'notification', `notification received: ${signal.event}`);
  });
  setHandler(
    resolveReviewUpdate,
    async (resolution) => {
      run.resolution = resolution;
      await condition(() => run.state.stage !== 'needs_review');
      return run.state;
    },
    {
      validator: (resolution) => {
        if (run.state.stage !== 'needs_review')
          throw new Error(`this cancellation is ${run.state.stage}, not waiting for review`);
        // Two updates in one workflow task both see the review open: only the first may resolve it.
        if (run.resolution !== undefined) throw new Error('this review was already resolved');
        validateResolution(resolution);
      },
    },
  );
  upsertStartAttributes(request);
  return run;
}

/** Continue as new well before Temporal's own limits; a cancellation rarely gets near this. */
const MAX_HISTORY_EVENTS = 2_000;

/** Whether the run should continue as new (carry()) before its history grows further. */
export function historyIsLong(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
}

export function carry(run: Run): CarriedState {
  const { observations, calls, totals, notices } = run.state;
  const paidNotice = run.paidNotice ? { paidNotice: run.paidNotice } : {};
  const looks = run.paidNoticeLooks > 0 ? { paidNoticeLooks: run.paidNoticeLooks } : {};
  return { memory: run.memory, observations, calls, totals, notices, ...paidNotice, ...looks };
}

/**
 * Show the stage in the UI's details; the search attribute changes only with the stage. `also`: attributes
 * that change with it (the outcome), in the same upsert in a lean run, one upsert each before.
 */
export function setStage(run: Run, stage: Stage, details: string, also: SearchAttributeUpdatePair[] = []): void {
  run.state.details = details;
  setCurrentDetails(`**${stage}**: ${details}`);
  const previous = run.state.stage;
  run.state.stage = stage;
  if (run.restsOnly) {
    const write = writesStage(previous, stage, run.writtenStage);
    if (write) run.writtenStage = stage;
    const pairs: SearchAttributeUpdatePair[] = write ? [{ key: StageKey, value: stage }, ...also] : also;
    if (pairs.length > 0) upsertSearchAttributes(pairs);
    return;
  }
  const updates: SearchAttributeUpdatePair[] = stage === previous ? [] : [{ key: StageKey, value: stage }];
  updates.push(...also);
  if (!run.leanAttributes) for (const update of updates) upsertSearchAttributes([update]);
  else if (updates.length > 0) upsertSearchAttributes(updates);
}

export function finish(run: Run, outcome: Outcome): Outcome {
  run.state.outcome = outcome;
  setStage(run, 'done', describeOutcome(outcome), [{ key: OutcomeKey, value: outcome.kind }]);
  return outcome;
}

/** A provider call and what came back, in a few words; `byNotification` when a notification brought it forward. */
export function recordCall(run: Run, call: ProviderCall, result: string, byNotification = false): void {
  append(
    run.state.calls,
    { kind: 'call', at: now(), call, result, ...(byNotification ? { byNotification: true as const } : {}) },
    KEEP_CALLS,
  );
  run.state.totals.calls += 1;
}

/** A notification or an operator's decision: in the record list, not counted as a provider call. */
export function note(run: Run, kind: 'notification' | 'operator', result: string): void {
  append(run.state.calls, { kind, at: now(), call: kind, result }, KEEP_CALLS);
}

export function recordObservation(run: Run, observation: Observation): void {
  append(run.state.observations, { at: now(), observation }, KEEP_OBSERVATIONS);
  run.state.totals.observations += 1;
}

const now = (): string => new Date().toISOString();

/** Lists keep only their latest entries; the totals count them all. */
function append<T>(list: T[], entry: T, keep: number): void {
  list.push(entry);
  if (list.length > keep) list.splice(0, list.length - keep);
}
