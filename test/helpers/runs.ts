/** A workflow's runs as its histories show them: the chain of continue-as-new, and the calls each made. */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/**
 * Dev-server dynamic config under which the server suggests continue-as-new from the 8th event (its
 * default is 4,096): the workflow task after a run's first answer starts at its 9th, so every run is
 * told to continue before it has acted.
 */
export const CONTINUE_EARLY = { 'limit.historyCount.suggestContinueAsNew': 8 };

/** The workflow's run ids, first to last: each continued run's first event names the run before it. */
export async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    runs.unshift(runId);
    const { history }: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse =
      await client.workflowService.getWorkflowExecutionHistory({
        namespace: client.options.namespace,
        execution: { workflowId, runId },
        maximumPageSize: 1,
      });
    runId = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/** Activities that ended (completed, failed or timed out) in one run's history: the provider calls it made. */
export async function endedActivitiesIn(client: Client, workflowId: string, runId: string): Promise<number> {
  const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return (events ?? []).filter(
    (event) =>
      event.activityTaskCompletedEventAttributes ||
      event.activityTaskFailedEventAttributes ||
      event.activityTaskTimedOutEventAttributes,
  ).length;
}
