/**
 * Scheduled reconciliation: find orders pending longer than a minimum age, cancel each one (start
 * or attach, idempotent per order) with bounded concurrency, write outcomes back to the order
 * source, and return a report. Large backlogs continue as new, carrying the report and cursor.
 */
import {
  ActivityFailure,
  continueAsNew,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CancelAndWaitResult, Cursor, ReconcileActivities } from '../activities/reconcile/index.js';
import type { Cadence } from './definitions.js';

export interface ReconcileInput {
  /** Only orders created longer ago than this are cancelled (default 15 minutes). */
  minAgeMs?: number;
  /** Orders read per batch (default 50). */
  batchSize?: number;
  /** Cancellations followed at once (default 5). */
  concurrency?: number;
  /** How long to wait for each order's outcome before reporting it as still cancelling (default 60 s). */
  waitMs?: number;
  cadence?: Cadence;
  /** Batches one run handles before it continues as new, keeping each history small (default 20). */
  batchesPerRun?: number;
  /** Carried across continue-as-new. */
  cursor?: Cursor;
  report?: ReconcileReport;
}

/** The report travels through continue-as-new: its lists stay bounded (the counts are complete). */
export const REPORT_LIST_LIMIT = 100;

export interface ReconcileReport {
  candidates: number;
  /** Count per outcome kind, plus `cancelling` (still running) and `error`. */
  byOutcome: Record<string, number>;
  /** The first REPORT_LIST_LIMIT orders waiting for review (byOutcome.needs_review counts them all). */
  needsReview: { provider: string; merchantId: string; orderId: string; reason?: string }[];
  /** The first REPORT_LIST_LIMIT errors (byOutcome.error counts them all). */
  errors: { orderId: string; error: string }[];
  batches: number;
  /** Runs this reconciliation took (1 + continue-as-new count). */
  runs: number;
}

/** The report so far, while the reconciliation runs. */
export const getReportQuery = defineQuery<ReconcileReport>('getReport');

/** Progress for the run's details panel in the Temporal UI. */
function describeProgress(report: ReconcileReport): string {
  const counts = Object.entries(report.byOutcome).map(([kind, n]) => `${kind} ${n}`);
  return [
    `**${report.candidates} candidates** in ${report.batches} batch(es), run ${report.runs}`,
    counts.length ? counts.join(' · ') : 'no outcomes yet',
    ...report.needsReview
      .slice(0, 20)
      .map((r) => `- needs review: ${r.provider} ${r.merchantId} ${r.orderId}: ${r.reason ?? ''}`),
  ].join('\n\n');
}

const emptyReport = (): ReconcileReport => ({
  candidates: 0,
  byOutcome: {},
  needsReview: [],
  errors: [],
  batches: 0,
  runs: 1,
});

export async function reconcile(input: ReconcileInput = {}): Promise<ReconcileReport> {
  const minAgeMs = input.minAgeMs ?? 15 * 60_000;
  const batchSize = input.batchSize ?? 50;
  const concurrency = Math.max(1, input.concurrency ?? 5);
  const waitMs = input.waitMs ?? 60_000;
  const batchesPerRun = Math.max(1, input.batchesPerRun ?? 20);
  const report = input.report ?? emptyReport();
  setHandler(getReportQuery, () => report);
  const acts = proxyActivities<ReconcileActivities>({ startToCloseTimeout: '1m', retry: { maximumAttempts: 5 } });
  const follow = proxyActivities<ReconcileActivities>({
    startToCloseTimeout: waitMs + 60_000,
    heartbeatTimeout: '30s',
    retry: { maximumAttempts: 3 },
  });

  let cursor = input.cursor;
  for (let batchesThisRun = 1; ; batchesThisRun++) {
    const { orders: batch, next } = await acts.listCandidates({ minAgeMs, limit: batchSize, after: cursor });
    report.batches += 1;
    report.candidates += batch.length;
    setCurrentDetails(describeProgress(report));
    for (let i = 0; i < batch.length; i += concurrency) {
      await Promise.all(
        batch.slice(i, i + concurrency).map(async (order) => {
          const result: CancelAndWaitResult = await follow
            .cancelAndWait({ order, waitMs, cadence: input.cadence })
            .catch((err: unknown) => {
              // Temporal itself kept failing for this order: report it, leave the row pending, go on.
              if (err instanceof ActivityFailure)
                return { workflowId: '', status: 'error', error: err.cause?.message ?? err.message };
              throw err;
            });
          report.byOutcome[result.status] = (report.byOutcome[result.status] ?? 0) + 1;
          if (result.status === 'needs_review' && report.needsReview.length < REPORT_LIST_LIMIT)
            report.needsReview.push({
              provider: order.provider,
              merchantId: order.merchantId,
              orderId: order.orderId,
              reason: result.reviewReason,
            });
          if (result.error && report.errors.length < REPORT_LIST_LIMIT)
            report.errors.push({ orderId: order.orderId, error: result.error });
          await acts.recordOutcome({ order, result });
        }),
      );
      setCurrentDetails(describeProgress(report));
    }
    if (!next) return report;
    cursor = next;
    // Keep each run's history small: a long backlog continues in a fresh run.
    if (batchesThisRun >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof reconcile>({ ...input, cursor, report: { ...report, runs: report.runs + 1 } });
    }
  }
}
