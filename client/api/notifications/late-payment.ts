/**
 * A payment that lands after the order's cancellation has ended: the customer's wallet completed the
 * payment after the close or reverse was accepted, or after the order expired. Nobody else returns that
 * money, so a verified payment notification for such an order starts a new run under the same workflow
 * id, with the previous run's request: it queries first and refunds what it finds paid (docs/policy.md).
 *
 * Duplicates and replays never start a second one: a run starts only when the latest run under the
 * workflow id has finished with an outcome in which no money went back, and was not itself started by a
 * late payment; the start fails while a run is open (conflict policy FAIL). A later notification then
 * finds the new run open (and wakes it) or finished, and starts nothing. Money cannot move twice even if
 * two runs met: every run queries before it writes, and the refund key comes from the order.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { CANCEL_ORDER_WORKFLOW, type Outcome, type OutcomeKind } from '../../../domain/index.js';
import type { cancelOrder } from '../../../workflows/cancel-order.js';
import type { CancellationRequest, NotificationSignal } from '../../../workflows/definitions.js';
import { returnedNoMoney } from '../../../workflows/notices.js';
import { MerchantKey, OrderKey, ProviderKey, StageKey } from '../../../workflows/search-attributes.js';
import { runDetails, runSummary } from '../../format.js';
import { cancellationPriority } from '../../priority.js';
import { parseCancellationRequest } from '../../request.js';

/** The requestedBy of a run a late payment started; also its memo's startedBy, which lists of runs show. */
export const LATE_PAYMENT_REQUESTER = 'late payment notification';

/**
 * Whether a finished cancellation ended with no money returned and none known to be held, so that a
 * payment reported afterwards is money nobody will give back unless a new run does. The same rule a
 * run applies to a paid notice it received itself (workflows/notices.ts).
 */
export const endedWithoutMoney = (outcome: Outcome): boolean => returnedNoMoney(outcome);

export type LatePaymentDecision =
  | { result: 'late_payment_run'; runId: string; previousRunId: string; previousOutcome: OutcomeKind }
  /** A run is open under the workflow id (a concurrent notification started it): wake it instead. */
  | { result: 'running' }
  | { result: 'no_cancellation' }
  | { result: 'left_alone'; reason: string };

/** Start the late-payment run when the notification and the order's last run call for one (see the module comment). */
export async function startLatePaymentRun(
  client: Client,
  workflowId: string,
  signal: NotificationSignal,
): Promise<LatePaymentDecision> {
  if (signal.event !== 'paid') {
    return { result: 'left_alone', reason: `a "${signal.event}" notification reports no payment` };
  }
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { result: 'no_cancellation' };
    throw err;
  }
  const status = description.status.name;
  if (status === 'RUNNING') return { result: 'running' };
  if (status !== 'COMPLETED') {
    const reason = `the cancellation's last run is ${status.toLowerCase()}, with no outcome to go on`;
    return { result: 'left_alone', reason };
  }

  const previousRunId = description.runId;
  const previousRun = client.workflow.getHandle<typeof cancelOrder>(workflowId, previousRunId, { followRuns: false });
  const outcome = (await previousRun.result()) as Outcome;
  if (!endedWithoutMoney(outcome)) return { result: 'left_alone', reason: `the cancellation ended ${outcome.kind}` };
  const previous = await startedWith(client, workflowId, previousRunId);
  if (previous.requestedBy === LATE_PAYMENT_REQUESTER) {
    const reason = `a late-payment run already ran and ended ${outcome.kind}: an operator should check the provider`;
    return { result: 'left_alone', reason };
  }

  const reason = `late payment notification after ${outcome.kind}`;
  const request: CancellationRequest = { ...previous, reason, requestedBy: LATE_PAYMENT_REQUESTER };
  const { order } = request;
  try {
    const handle = await client.workflow.start<typeof cancelOrder>(CANCEL_ORDER_WORKFLOW, {
      taskQueue: description.taskQueue,
      workflowId,
      // The start sets the run's search attributes below, so the run need not upsert them, and it writes
      // its stage only at rests (workflows/attributes.ts).
      args: [{ ...request, attributesAtStart: true, stagesAtRest: true }],
      // A closed workflow id may run again; an open one is never started twice.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: ProviderKey, value: order.provider },
        { key: MerchantKey, value: order.merchantId },
        { key: OrderKey, value: order.orderId },
        { key: StageKey, value: 'querying' },
      ],
      // Identifiers and times only: the memo is shown with every run in lists, the CLI and the API.
      memo: {
        startedBy: LATE_PAYMENT_REQUESTER,
        previousRunId,
        previousOutcome: outcome.kind,
        notifiedAt: signal.receivedAt,
      },
      staticSummary: `Late payment after ${outcome.kind}: ${runSummary(request)}`,
      staticDetails: runDetails(request),
      // A customer's money is held now: live, ahead of reconciliation's backlog.
      priority: cancellationPriority('live', order),
    });
    const runId = handle.firstExecutionRunId;
    return { result: 'late_payment_run', runId, previousRunId, previousOutcome: outcome.kind };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { result: 'running' };
    throw err;
  }
}

/**
 * The request a run was started with: the first argument in its first history event (a run that
 * continued as new carries the same request), decoded the way the client encodes; no worker needed.
 */
async function startedWith(client: Client, workflowId: string, runId: string): Promise<CancellationRequest> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!input?.length) throw new Error(`run ${runId} of ${workflowId} has no recorded input`);
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  let payloads = input as Payload[];
  for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  // Validated again: the new run gets exactly what a caller could have sent.
  return parseCancellationRequest(payloadConverter.fromPayload(payloads[0]!));
}
