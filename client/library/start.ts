import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { CANCEL_ORDER_WORKFLOW, cancellationWorkflowId, type CancellationPriorityClass } from '../../domain/index.js';
// Type only: a client never loads workflow code; it starts the workflow by its registered name.
import type { cancelOrder } from '../../workflows/cancel-order.js';
import type { CancellationRequest } from '../../workflows/definitions.js';
import { MerchantKey, OrderKey, ProviderKey, StageKey } from '../../workflows/search-attributes.js';
import { runDetails, runSummary } from '../format.js';
import { cancellationPriority } from '../priority.js';
import { parseCancellationRequest } from '../request.js';
import { assertSameFacts } from './facts.js';

export interface StartOptions {
  /** The task queue Rescind's workers poll (RESCIND_TASK_QUEUE, default "rescind"). */
  taskQueue: string;
  /**
   * Who is waiting (domain/priority.ts): `live` (the default: a timeout handler, the API, the CLI)
   * or `reconciliation` (stuck orders found later; they queue behind every live one). The run and
   * its provider calls carry the class's Temporal priority key and the merchant as fairness key.
   */
  priority?: CancellationPriorityClass;
}

export interface StartResult {
  workflowId: string;
  runId: string;
  /** false when a cancellation for this order already existed, running or finished; nothing new was started. */
  started: boolean;
}

/**
 * Start cancelling an order, or reach the cancellation that already exists for it.
 *
 * The input is validated first: bad input throws {@link RequestError} naming each field, and
 * starts nothing. One workflow per order: while a run is open a second call attaches to it; after
 * it has finished the order is not cancelled twice, and the finished run is returned (its outcome
 * stands; `started` is false).
 *
 * The start asks the server to fail on an existing id and then reads that run, rather than using
 * the USE_EXISTING conflict policy: both dedupe the same way, but the SDK does not say whether a
 * USE_EXISTING start created the run, and callers need to know.
 */
export async function startCancellation(client: Client, options: StartOptions, input: unknown): Promise<StartResult> {
  const request = parseCancellationRequest(input);
  const { order } = request;
  const workflowId = cancellationWorkflowId(order.provider, order.merchantId, order.orderId);
  try {
    const handle = await client.workflow.start<typeof cancelOrder>(CANCEL_ORDER_WORKFLOW, {
      taskQueue: options.taskQueue,
      workflowId,
      // The start sets the run's search attributes below, so the run need not upsert them, and it writes
      // its stage only at rests (workflows/attributes.ts).
      args: [{ ...request, attributesAtStart: true, stagesAtRest: true }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...runStartOptions(request, options.priority ?? 'live'),
    });
    return { workflowId, runId: handle.firstExecutionRunId, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(workflowId).describe();
    const existing = await startedRequest(client, workflowId, description.runId);
    if (existing) assertSameFacts(workflowId, existing.order, order);
    return { workflowId, runId: description.runId, started: false };
  }
}

/**
 * What a cancellation's start tells Temporal besides its input: the search attributes operators
 * filter by, the summary and details the UI shows, and its priority and fairness key.
 */
export function runStartOptions(request: CancellationRequest, priority: CancellationPriorityClass) {
  const { order } = request;
  return {
    typedSearchAttributes: [
      { key: ProviderKey, value: order.provider },
      { key: MerchantKey, value: order.merchantId },
      { key: OrderKey, value: order.orderId },
      { key: StageKey, value: 'querying' },
    ],
    staticSummary: runSummary(request),
    staticDetails: runDetails(request),
    priority: cancellationPriority(priority, order),
  } satisfies Partial<WorkflowStartOptions>;
}

/**
 * The request a run was started with: the first argument of its first event (a run that continued
 * as new carries the same request), read from history so that no worker needs to answer.
 */
async function startedRequest(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<CancellationRequest | undefined> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  let payloads = (history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []) as Payload[];
  if (payloads.length === 0) return undefined;
  const converter = client.options.loadedDataConverter;
  for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  return converter.payloadConverter.fromPayload<CancellationRequest>(payloads[0]!);
}
