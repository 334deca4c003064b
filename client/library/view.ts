import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import {
  cancellationWorkflowId,
  type OrderRef,
  type Outcome,
  type ProviderId,
  type Stage,
} from '../../domain/index.js';
// Type only: a client never loads workflow code.
import type { cancelOrder } from '../../workflows/cancel-order.js';
import {
  getStateQuery,
  type CallRecord,
  type CancellationState,
  type ObservationRecord,
} from '../../workflows/definitions.js';
import { StageKey } from '../../workflows/search-attributes.js';
import { listRuns, type CancellationRun } from './runs.js';

/** Where a cancellation stands. */
export interface CancellationView {
  workflowId: string;
  /** The latest run (a long cancellation continues as new). */
  runId: string;
  /** Temporal's status: RUNNING, COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT, CONTINUED_AS_NEW. */
  status: string;
  stage: Stage;
  /** One line an operator can read. */
  details: string;
  order?: OrderRef;
  outcome?: Outcome;
  review?: { reason: string; since: string };
  /** The latest observations and provider calls (from the getState query; empty when no worker answered). */
  observations: ObservationRecord[];
  calls: CallRecord[];
  totals?: { observations: number; calls: number };
  startTime: string;
  closeTime?: string;
  /** false when no worker answered the query and the view was built from the server's records alone. */
  live: boolean;
  /**
   * Every run under the workflow id, newest first: a late payment starts a second one after the first
   * ended, and a long run continues as new. From Temporal visibility, which lags a start by a moment;
   * absent when visibility could not be read.
   */
  runs?: CancellationRun[];
}

export interface ReadOptions {
  /** How long to wait for a worker to answer the getState query before falling back (default 5 s). */
  queryTimeoutMs?: number;
}

/** Where the order's cancellation stands; undefined when none exists. */
export async function getCancellation(
  client: Client,
  provider: ProviderId,
  merchantId: string,
  orderId: string,
  options?: ReadOptions,
): Promise<CancellationView | undefined> {
  return getCancellationById(client, cancellationWorkflowId(provider, merchantId, orderId), options);
}

/** Where the cancellation with this workflow id stands; undefined when none exists. */
export async function getCancellationById(
  client: Client,
  workflowId: string,
  options: ReadOptions = {},
): Promise<CancellationView | undefined> {
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const status = description.status.name;
  let state: CancellationState | undefined;
  try {
    // A query needs a worker (for a closed run, one that replays it): bounded, with a fallback.
    state = await client.withDeadline(Date.now() + (options.queryTimeoutMs ?? 5_000), () =>
      handle.query(getStateQuery),
    );
  } catch {
    state = undefined;
  }
  const attributes = description.typedSearchAttributes;
  const outcome = state?.outcome ?? (status === 'COMPLETED' ? ((await handle.result()) as Outcome) : undefined);
  const stage =
    state?.stage ?? (status === 'RUNNING' ? ((attributes.get(StageKey) as Stage | undefined) ?? 'querying') : 'done');
  return {
    workflowId,
    runId: description.runId,
    status,
    stage,
    details:
      state?.details ??
      (status === 'RUNNING' ? `${stage} (no worker answered; details unavailable)` : status.toLowerCase()),
    order: state?.order,
    outcome,
    review: state?.review,
    observations: state?.observations ?? [],
    calls: state?.calls ?? [],
    totals: state?.totals,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString(),
    live: state !== undefined,
    runs: await listRuns(client, workflowId).catch(() => undefined),
  };
}
