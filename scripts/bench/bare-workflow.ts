/**
 * The physical limit `npm run bench` measures Rescind against: a workflow that runs `count` no-op
 * activities one after another and nothing else (no search attributes, no queries, no provider).
 * Only the benchmark's own worker loads it; it is not part of Rescind's workflow bundle.
 *
 * With `options` it also does what a Rescind run asks of Temporal besides its own code (the bench's
 * "featured" contender): each activity carries a UI summary and the order, and the run ends with
 * one upsert of the stage and the outcome. Its start (scripts/bench/featured-start.ts) sets the rest.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderRef } from '../../domain/index.js';
import { OutcomeKey, StageKey } from '../../workflows/search-attributes.js';
import type { BareActivities } from './bare-activities.js';

export interface FeaturedOptions {
  /** Sent to each activity, as Rescind's provider calls send the order. */
  order: OrderRef;
}

export async function bareWorkflow(count: number, activityQueue: string, options?: FeaturedOptions): Promise<number> {
  const { noop, answer } = proxyActivities<BareActivities>({
    taskQueue: activityQueue,
    startToCloseTimeout: '30s',
    ...(options ? { summary: `query ${options.order.orderId}` } : {}),
  });
  for (let i = 0; i < count; i++) await (options ? answer(options.order) : noop());
  if (options)
    upsertSearchAttributes([
      { key: StageKey, value: 'done' },
      { key: OutcomeKey, value: 'closed_unpaid' },
    ]);
  return count;
}
