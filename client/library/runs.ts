import type { Client } from '@temporalio/client';
import { OutcomeKey } from '../../workflows/search-attributes.js';

/** One run under a cancellation's workflow id. */
export interface CancellationRun {
  runId: string;
  status: string;
  /** The RescindOutcome of a finished run. */
  outcome?: string;
  /** What started it, when not the original request (e.g. "late payment notification"). */
  startedBy?: string;
  startTime: string;
  closeTime?: string;
}

/** The runs under one workflow id, newest first (see CancellationView.runs in ./view.ts). */
export async function listRuns(client: Client, workflowId: string): Promise<CancellationRun[]> {
  // Rescind's ids never hold quotes or backslashes; an id that does cannot be quoted safely, and is not ours.
  if (/["\\]/.test(workflowId)) return [];
  const runs: CancellationRun[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    const startedBy = wf.memo?.startedBy;
    runs.push({
      runId: wf.runId,
      status: wf.status.name,
      outcome: wf.typedSearchAttributes.get(OutcomeKey),
      startedBy: typeof startedBy === 'string' ? startedBy : undefined,
      startTime: wf.startTime.toISOString(),
      closeTime: wf.closeTime?.toISOString(),
    });
  }
  return runs.sort((a, b) => b.startTime.localeCompare(a.startTime));
}
