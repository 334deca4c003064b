/**
 * The worker's side of workflows/metrics-interceptor.ts: the interceptor module the workflow bundle
 * includes, and the sink that records each ended run (outcome, and a confirmed refund's amount).
 */
import { fileURLToPath } from 'node:url';
import type { InjectedSinks } from '@temporalio/worker';
import { recordOutcome } from '../platform/metrics/registry.js';
import type { RescindMetricsSinks } from '../workflows/metrics-interceptor.js';

export const METRICS_INTERCEPTOR_PATH = fileURLToPath(new URL('../workflows/metrics-interceptor.ts', import.meta.url));

export const metricsSinks: InjectedSinks<RescindMetricsSinks> = {
  rescindMetrics: {
    // Not on replay: a run counted when it ended is not counted again when a worker rebuilds it.
    runEnded: { fn: (_info, run) => recordOutcome(run.provider, run.outcome, run.refunded), callDuringReplay: false },
  },
};
