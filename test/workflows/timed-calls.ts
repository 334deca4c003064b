/**
 * A run's provider calls with the time the server scheduled each one (its ActivityTaskScheduled
 * event), joined with the run's own records, which say which calls a notification brought forward.
 * Shared by the notification-replay tests (workflow signal and HTTP receiver).
 */
import { tsToMs } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { ProviderId } from '../../domain/index.js';
import { getStateQuery, type Cadence, type ProviderCall } from '../../workflows/definitions.js';
import { decide, freshMemory } from '../../workflows/policy.js';
import { PROVIDER_RULES, withCadence } from '../../workflows/rules.js';
import type { Stack } from '../helpers/stack.js';

export interface TimedCall {
  call: ProviderCall;
  /** When the server scheduled the activity, ms. */
  at: number;
  /** Brought forward by a notification (it did not count towards the policy's budget). */
  byNotification: boolean;
  result: string;
}

export async function timedCalls(handle: WorkflowHandle): Promise<TimedCall[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = events
    .filter((e) => e.activityTaskScheduledEventAttributes)
    .map((e) => ({
      call: e.activityTaskScheduledEventAttributes!.activityType!.name as ProviderCall,
      at: tsToMs(e.eventTime),
    }));
  const records = (await handle.query(getStateQuery)).calls.filter((c) => c.kind === 'call');
  // One record per provider call, in the same order as the history schedules them.
  if (records.map((r) => r.call).join() !== scheduled.map((s) => s.call).join()) {
    throw new Error(
      `records and history disagree: ${records.map((r) => r.call).join()} vs ${scheduled.map((s) => s.call).join()}`,
    );
  }
  return scheduled.map((s, i) => ({
    ...s,
    byNotification: records[i]!.byNotification === true,
    result: records[i]!.result,
  }));
}

/** The calls the policy made by its own schedule (those no notification brought forward). */
export const counted = (calls: TimedCall[]): TimedCall[] => calls.filter((c) => !c.byNotification);

/** Gaps between consecutive calls of one kind, ms. */
export function gaps(calls: TimedCall[], call: ProviderCall): number[] {
  const times = calls.filter((c) => c.call === call).map((c) => c.at);
  return times.slice(1).map((t, i) => t - times[i]!);
}

/** The policy's wait after the 1st, 2nd, ... untrusted answer, until its budget is spent (read from decide()). */
export function unknownRetrySteps(provider: ProviderId, cadence: Cadence): number[] {
  const rules = withCadence(PROVIDER_RULES[provider], cadence);
  const order = { provider, merchantId: 'm', orderId: 'o' };
  return Array.from({ length: rules.unknownRetry.attempts - 1 }, (_, i) => {
    const action = decide(
      rules,
      order,
      { status: 'unknown', reason: 'bad signature', providerCode: 'x' },
      { ...freshMemory(), unknownStreak: i + 1 },
      0,
    );
    if (action.type !== 'wait') throw new Error(`expected a wait, got ${action.type}`);
    return action.ms;
  });
}

/** Server timestamps are ms; so is the workflow's clock. */
const TOLERANCE_MS = 20;

/** The gaps shorter than the policy's step for them (less the clocks' rounding): none is expected. */
export const shorterThan = (gapsMs: number[], stepsMs: number[]): { gap: number; step: number }[] =>
  gapsMs
    .slice(0, stepsMs.length)
    .map((gap, i) => ({ gap, step: stepsMs[i]! }))
    .filter(({ gap, step }) => gap < step - TOLERANCE_MS);

/** Clear every sandbox fault (they are per provider, shared by the file's tests). */
export const clearFaults = (stack: Stack): Promise<unknown> => stack.sandbox.admin('DELETE', '/faults');
