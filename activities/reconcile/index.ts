/**
 * Reconciliation activities: read a batch of candidates, start-or-attach each order's
 * cancellation and wait a bounded time for its outcome, and write the result back.
 *
 * Cancellations are started from an activity with the Temporal Client, not as child workflows:
 * a child cannot attach to a run that already exists for the order (a timeout handler may have
 * started it), while the client start is idempotent per order.
 */
import { Context } from '@temporalio/activity';
import type { Outcome, Stage } from '../../domain/index.js';
import type { Cadence, CancellationRequest } from '../../workflows/definitions.js';
import { reconcileOrdersCancelledTotal, reconcileOrdersReadTotal } from '../../platform/metrics/registry.js';
import { FileOrderSource } from './file-source.js';
import { PostgresOrderSource } from './postgres-source.js';
import { cursorKey, isPostgresUrl, type CandidateOrder, type Cursor, type OrderSource } from './source.js';

export interface CancelAndWaitResult {
  workflowId: string;
  /** The final outcome kind, or the stage when the run is still going (e.g. needs_review). */
  status: string;
  outcome?: Outcome;
  reviewReason?: string;
  error?: string;
}

/** One page of candidates, and where the next page starts (absent after the last page). */
export interface CandidatePage {
  orders: CandidateOrder[];
  next?: Cursor;
}

/** How reconciliation reaches cancellations; the worker wires in the client library (start is idempotent). */
export interface Cancellations {
  /** Start the order's cancellation, or attach to the one that exists. */
  start(request: CancellationRequest): Promise<{ workflowId: string }>;
  /** Where a cancellation stands now. */
  view(workflowId: string): Promise<{ stage: Stage; outcome?: Outcome; review?: { reason: string } } | undefined>;
  /** Whether an error says the request itself is invalid (a bad row: reported, not retried). */
  isInvalidRequest(err: unknown): boolean;
}

export function createOrderSource(orderSource: string, custom: { query?: string; update?: string } = {}): OrderSource {
  if (isPostgresUrl(orderSource)) return new PostgresOrderSource(orderSource, custom);
  if (orderSource.startsWith('file:')) return new FileOrderSource(orderSource.slice('file:'.length));
  throw new Error(
    `RESCIND_ORDER_SOURCE must be file:<path> or a postgres:// URL (got ${orderSource.split(':')[0]}:...)`,
  );
}

export function createReconcileActivities(deps: { cancellations: Cancellations; source: OrderSource }) {
  return {
    async listCandidates(input: { minAgeMs: number; limit: number; after?: Cursor }): Promise<CandidatePage> {
      const orders = await deps.source.listCandidates({
        cutoff: new Date(Date.now() - input.minAgeMs),
        limit: input.limit,
        after: input.after,
      });
      for (const order of orders) reconcileOrdersReadTotal.inc({ provider: order.provider });
      // The cursor's format is the source's business: the workflow only hands it back.
      const last = orders.at(-1);
      return {
        orders,
        next: orders.length === input.limit && last ? { createdAt: last.createdAt, key: cursorKey(last) } : undefined,
      };
    },

    async cancelAndWait(input: {
      order: CandidateOrder;
      waitMs: number;
      cadence?: Cadence;
    }): Promise<CancelAndWaitResult> {
      let workflowId = '';
      try {
        ({ workflowId } = await deps.cancellations.start({
          order: input.order,
          reason: 'reconciliation: pending too long',
          requestedBy: 'reconciliation',
          cadence: input.cadence,
        }));
        const deadline = Date.now() + input.waitMs;
        for (;;) {
          Context.current().heartbeat();
          const view = await deps.cancellations.view(workflowId);
          if (view?.outcome) return { workflowId, status: view.outcome.kind, outcome: view.outcome };
          if (view?.stage === 'needs_review')
            return { workflowId, status: 'needs_review', reviewReason: view.review?.reason };
          if (Date.now() > deadline) return { workflowId, status: 'cancelling' };
          await Context.current().sleep(500);
        }
      } catch (err) {
        // A row that is not a valid order will not become one on retry: report it and go on.
        // Anything else (Temporal unreachable, cancelled) is thrown, so the activity retries.
        if (deps.cancellations.isInvalidRequest(err))
          return { workflowId, status: 'error', error: (err as Error).message };
        throw err;
      }
    },

    async recordOutcome(input: { order: CandidateOrder; result: CancelAndWaitResult }): Promise<void> {
      // An error leaves the row pending: the next reconciliation tries again.
      if (input.result.status === 'error') return;
      await deps.source.recordOutcome(
        input.order,
        input.result.status,
        input.result.outcome ?? (input.result.reviewReason ? { reviewReason: input.result.reviewReason } : null),
      );
      reconcileOrdersCancelledTotal.inc({ provider: input.order.provider, status: input.result.status });
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
export type { CandidateOrder, Cursor, OrderSource };
