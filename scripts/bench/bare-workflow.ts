/**
 * The physical limit `npm run bench` measures Rescind against: a workflow that runs `count` no-op
 * activities one after another and nothing else (no search attributes, no queries, no provider).
 * Only the benchmark's own worker loads it; it is not part of Rescind's workflow bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities.js';

export async function bareWorkflow(count: number, activityQueue: string): Promise<number> {
  const { noop } = proxyActivities<BareActivities>({ taskQueue: activityQueue, startToCloseTimeout: '30s' });
  for (let i = 0; i < count; i++) await noop();
  return count;
}
