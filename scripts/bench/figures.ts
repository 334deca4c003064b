/** Figures of benchmark runs: throughput over batches, latency percentiles, history events. */
import type { Client } from '@temporalio/client';

export interface RunFigures {
  workflowId: string;
  /** From the start call to the result. */
  ms: number;
  events: number;
}

/** Runs started together; `wallMs` from the first start to the last result. */
export interface Batch {
  wallMs: number;
  /** CPU time spent during the batch, ms, by process: this one (client and workers), the sandbox, the server. */
  cpuMs: { bench: number; sandbox: number; server: number };
  runs: RunFigures[];
}

export interface Summary {
  runs: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  eventsMin: number;
  eventsMax: number;
  /** The most common count: a loaded machine adds events (workflow tasks that timed out and ran again). */
  eventsTypical: number;
  /** CPU ms per run, by process. */
  cpuPerRun: { bench: number; sandbox: number; server: number };
}

/** Runs over the batches' summed wall time; percentiles over every run's latency. */
export function summarize(batches: Batch[]): Summary {
  const runs = batches.flatMap((b) => b.runs);
  const seconds = batches.reduce((sum, b) => sum + b.wallMs, 0) / 1000;
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const events = runs.map((r) => r.events);
  return {
    runs: runs.length,
    seconds,
    perSecond: runs.length / seconds,
    p50: pct(50),
    p95: pct(95),
    eventsMin: Math.min(...events),
    eventsMax: Math.max(...events),
    eventsTypical: mostCommon(events),
    cpuPerRun: {
      bench: batches.reduce((sum, b) => sum + b.cpuMs.bench, 0) / runs.length,
      sandbox: batches.reduce((sum, b) => sum + b.cpuMs.sandbox, 0) / runs.length,
      server: batches.reduce((sum, b) => sum + b.cpuMs.server, 0) / runs.length,
    },
  };
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/** How many activities a run scheduled, from its history. */
export async function activitiesOf(client: Client, workflowId: string): Promise<number> {
  let count = 0;
  for (const event of (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
    if (event.activityTaskScheduledEventAttributes) count += 1;
  }
  return count;
}
