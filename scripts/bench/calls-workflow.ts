/**
 * The bench's "calls" contender: the bare workflow's three activities each make the provider call a
 * short path makes (query, close or reverse, query), through Rescind's own adapters against the
 * sandbox: signed, sent over HTTP, verified and read as always. Nothing else: no policy, no search
 * attributes, no Temporal options. It is the ceiling for any workflow that honours the providers'
 * protocols, so `npm run bench` can tell what those protocols cost apart from what Rescind adds.
 * Only the benchmark's own worker loads it; it is not part of Rescind's workflow bundle.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { OrderRef } from '../../domain/index.js';
import type { CallsActivities } from './calls-activities.js';

export async function callsWorkflow(
  order: OrderRef,
  cancelCall: 'close' | 'reverse',
  activityQueue: string,
): Promise<string> {
  const { query, cancel } = proxyActivities<CallsActivities>({ taskQueue: activityQueue, startToCloseTimeout: '30s' });
  await query(order);
  await cancel(order, cancelCall);
  return (await query(order)).status;
}
