/**
 * The chaos run's side of the cancellations: start each one through the library (retrying while
 * the Temporal server is down), tell which have settled, and read how each one ended.
 */
import type { Client } from '@temporalio/client';
import { getCancellationById, RequestError, startCancellation } from '../../client/library.js';
import { CANCEL_ORDER_WORKFLOW } from '../../domain/index.js';
import { StageKey } from '../../workflows/search-attributes.js';
import type { RunResult } from './invariants.js';
import { cancellationRequest, type ChaosOrder } from './orders.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `fn` over the items with at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/**
 * Start every cancellation, each once `gate` lets it (the caller bounds how many runs are open at
 * once); a start that fails on the way (server down) is tried again until the caller gives up.
 */
export async function startAll(
  client: Client,
  taskQueue: string,
  orders: ChaosOrder[],
  options: { giveUp: () => boolean; gate: () => Promise<void>; onStarted: () => void },
): Promise<void> {
  await mapLimit(orders, 8, async (order) => {
    await options.gate();
    for (;;) {
      try {
        await startCancellation(client, { taskQueue }, cancellationRequest(order));
        options.onStarted();
        return;
      } catch (err) {
        // A request the library refuses is a bug in the chaos plan, not chaos.
        if (err instanceof RequestError || options.giveUp()) throw err;
        await sleep(500);
      }
    }
  });
}

/**
 * How many runs have ended, wait in review, or are still open, from Temporal visibility: one cheap
 * count each, where describing every run would load the server the chaos run is measuring.
 * Visibility lags a moment, so a count of zero open is confirmed with {@link standing}.
 */
export async function countRuns(client: Client): Promise<{ final: number; review: number; open: number } | undefined> {
  const ours = `WorkflowType = '${CANCEL_ORDER_WORKFLOW}'`;
  const running = `${ours} AND ExecutionStatus = 'Running'`;
  try {
    const [final, review, open] = await Promise.all([
      client.workflow.count(`${ours} AND ExecutionStatus != 'Running'`),
      client.workflow.count(`${running} AND ${StageKey.name} = 'needs_review'`),
      client.workflow.count(`${running} AND ${StageKey.name} != 'needs_review'`),
    ]);
    return { final: final.count, review: review.count, open: open.count };
  } catch {
    // The server is down (the chaos run killed it): no count this time.
    return undefined;
  }
}

export type Standing = 'final' | 'review' | 'open';

/** Final (the run ended), in review (waiting for an operator), or still open; open when the server cannot say. */
export async function standing(client: Client, workflowId: string): Promise<Standing> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    if (d.status.name !== 'RUNNING') return 'final';
    return d.typedSearchAttributes.get(StageKey) === 'needs_review' ? 'review' : 'open';
  } catch {
    return 'open';
  }
}

/** How the order's cancellation stands now, with the review reason read from the run itself. */
export async function readResult(client: Client, order: ChaosOrder): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const view = await getCancellationById(client, order.workflowId, { queryTimeoutMs: 10_000 });
      if (!view) return { order, status: 'NOT_STARTED' };
      // A run in review tells its reason only through the query, which needs a worker.
      if (view.status === 'RUNNING' && !view.live && attempt < 5) throw new Error('no worker answered');
      const { status, stage, outcome, review } = view;
      return { order, status, stage, outcome, reviewReason: review?.reason };
    } catch (err) {
      if (attempt >= 5) return { order, status: `UNREADABLE (${(err as Error).message})` };
      await sleep(1_000);
    }
  }
}
