// Over 250 lines: the public library surface in one module for callers to import; start, read, review and notify are candidates to split into client/library/ next.
/**
 * The Rescind library for other TypeScript services: start a cancellation (idempotent per order),
 * read where it stands, wait for its outcome, list runs, resolve reviews and deliver payment
 * notifications. Use the {@link RescindClient} class, or the functions it wraps, which take a
 * connected Temporal `Client`.
 *
 * @example
 * ```ts
 * import { RescindClient } from './client/library.js'; // in a Rescind checkout
 *
 * const rescind = await RescindClient.connect();            // configuration from the environment
 * const { workflowId, started } = await rescind.start({
 *   order: { provider: 'qfpay', merchantId: 'ZaMVg12345', orderId: 'A123', amount: 1000, payType: '800201' },
 *   reason: 'payment timed out',
 *   requestedBy: 'checkout-service',
 * });                                                        // throws RequestError on bad input
 * const outcome = await rescind.waitForOutcome({ workflowId }, { timeoutMs: 60_000 });
 * await rescind.close();
 * ```
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import {
  CANCEL_ORDER_WORKFLOW,
  cancellationWorkflowId,
  type OrderRef,
  type Outcome,
  type ProviderId,
  type Stage,
} from '../domain/index.js';
import { connectClient, loadTemporalSettings, type TemporalSettings } from '../platform/temporal.js';
// Type only: a client never loads workflow code; it starts the workflow by its registered name.
import type { cancelOrder } from '../workflows/cancel-order.js';
import {
  getStateQuery,
  resolveReviewUpdate,
  type CallRecord,
  type CancellationRequest,
  type CancellationState,
  type ObservationRecord,
  type ReviewResolution,
} from '../workflows/definitions.js';
import { MerchantKey, OrderKey, OutcomeKey, ProviderKey, StageKey } from '../workflows/search-attributes.js';
import { runDetails, runSummary } from './format.js';
import { deliverPaymentNotification, type NotificationDelivery } from './api/notifications/delivery.js';
import {
  parseCancellationRequest,
  parseListFilter,
  parseReviewResolution,
  RequestError,
  type FieldError,
  type ListFilter,
} from './request.js';

export { RequestError, parseCancellationRequest } from './request.js';
export { deliverPaymentNotification, type NotificationDelivery } from './api/notifications/delivery.js';
export { STAGES, OUTCOME_KINDS } from '../domain/index.js';
export type { FieldError, ListFilter } from './request.js';
export type { CancellationRequest, Cadence, NotificationSignal, ReviewResolution } from '../workflows/definitions.js';
export type { Outcome, Stage } from '../domain/index.js';
export type { OrderRef, ProviderId } from '../domain/index.js';

/** Which cancellation: by order (provider + merchant + order id) or by workflow id. */
export type CancellationRef = { provider: ProviderId; merchantId: string; orderId: string } | { workflowId: string };

export const workflowIdOf = (ref: CancellationRef): string =>
  'workflowId' in ref ? ref.workflowId : cancellationWorkflowId(ref.provider, ref.merchantId, ref.orderId);

export interface StartOptions {
  /** The task queue Rescind's workers poll (RESCIND_TASK_QUEUE, default "rescind"). */
  taskQueue: string;
}

export interface StartResult {
  workflowId: string;
  runId: string;
  /** false when a cancellation for this order already existed, running or finished; nothing new was started. */
  started: boolean;
}

/** No cancellation exists for the order. */
export class CancellationNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`no cancellation ${workflowId}`);
    this.name = 'CancellationNotFoundError';
  }
}

/** The run refused the resolution: it is not waiting for review (or has finished). */
export class ReviewRejectedError extends Error {
  constructor(
    readonly workflowId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReviewRejectedError';
  }
}

/** The facts of an order that steer its cancellation; a second start must not contradict them. */
export type OrderFacts = Pick<OrderRef, 'providerOrderId' | 'amount' | 'currency' | 'payType' | 'createdAt'>;
const FACTS = ['providerOrderId', 'amount', 'currency', 'payType', 'createdAt'] as const;

/**
 * A cancellation already exists for the order, started with other facts (amount, pay type, ...):
 * attaching to it would silently act on facts the caller did not give. `fields` names each one.
 */
export class CancellationConflictError extends RequestError {
  constructor(
    readonly workflowId: string,
    readonly running: OrderFacts,
    readonly requested: OrderFacts,
    fields: FieldError[],
  ) {
    super(fields);
    this.name = 'CancellationConflictError';
    this.message = `a cancellation for this order (${workflowId}) already exists with other facts: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  }
}

/** waitForOutcome gave up; the cancellation itself goes on. */
export class OutcomeTimeoutError extends Error {
  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
  ) {
    super(`no outcome for ${workflowId} within ${timeoutMs} ms; it is still running`);
    this.name = 'OutcomeTimeoutError';
  }
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
      args: [request],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: ProviderKey, value: order.provider },
        { key: MerchantKey, value: order.merchantId },
        { key: OrderKey, value: order.orderId },
        { key: StageKey, value: 'querying' },
      ],
      staticSummary: runSummary(request),
      staticDetails: runDetails(request),
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

/** The same fact, however it is written (an instant in any offset; a currency in any case). */
const sameFact = (fact: (typeof FACTS)[number], a: unknown, b: unknown): boolean => {
  if (fact === 'createdAt') return Date.parse(String(a)) === Date.parse(String(b));
  if (fact === 'currency') return String(a).toUpperCase() === String(b).toUpperCase();
  return a === b;
};

/** Throw CancellationConflictError when the request states a fact the existing run has otherwise (a fact left out is no conflict). */
function assertSameFacts(workflowId: string, running: OrderRef, requested: OrderRef): void {
  const fields = FACTS.filter(
    (fact) => requested[fact] !== undefined && !sameFact(fact, running[fact], requested[fact]),
  ).map((fact) => ({
    field: `order.${fact}`,
    message: `the existing cancellation for this order has ${running[fact] === undefined ? 'none' : JSON.stringify(running[fact])}; this request says ${JSON.stringify(requested[fact])}`,
  }));
  if (fields.length === 0) return;
  const pick = (o: OrderRef): OrderFacts =>
    Object.fromEntries(FACTS.filter((f) => o[f] !== undefined).map((f) => [f, o[f]]));
  throw new CancellationConflictError(workflowId, pick(running), pick(requested), fields);
}

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

/** The runs under one workflow id, newest first (see {@link CancellationView.runs}). */
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

/**
 * Wait for the final outcome. A run in needs_review has none until an operator resolves it (or the
 * review times out), so this keeps waiting; follow the stage with getCancellation to see reviews.
 * Throws {@link OutcomeTimeoutError} after `timeoutMs` (the run goes on), or the Temporal error
 * when the run failed or was terminated.
 */
export async function waitForOutcome(
  client: Client,
  workflowId: string,
  options: { timeoutMs?: number } = {},
): Promise<Outcome> {
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  if (!options.timeoutMs) return handle.result();
  const timeoutMs = options.timeoutMs;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // The abort ends the long poll too, so nothing keeps running after the timeout.
    return await client.withAbortSignal(abort.signal, () => handle.result());
  } catch (err) {
    if (abort.signal.aborted) throw new OutcomeTimeoutError(workflowId, timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export interface ListedCancellation {
  workflowId: string;
  runId: string;
  status: string;
  provider?: string;
  merchantId?: string;
  orderId?: string;
  stage?: string;
  /** Set when finished, and "needs_review" while waiting for an operator. */
  outcome?: string;
  startTime: string;
  closeTime?: string;
}

/**
 * Cancellations matching the filter, through Temporal visibility and the typed search attributes
 * (RescindProvider, RescindMerchant, RescindStage, RescindOutcome). Visibility lags the runs by a
 * moment. Bad filter values throw RequestError.
 */
export async function listCancellations(client: Client, filter: ListFilter = {}): Promise<ListedCancellation[]> {
  const f = parseListFilter(filter);
  // The filter values were checked against fixed lists and the id pattern, so quoting is safe.
  const clauses = [`WorkflowType = '${CANCEL_ORDER_WORKFLOW}'`];
  if (f.provider) clauses.push(`${ProviderKey.name} = '${f.provider}'`);
  if (f.merchantId) clauses.push(`${MerchantKey.name} = '${f.merchantId}'`);
  if (f.stage) clauses.push(`${StageKey.name} = '${f.stage}'`);
  if (f.outcome) clauses.push(`${OutcomeKey.name} = '${f.outcome}'`);
  const limit = f.limit ?? 100;
  const out: ListedCancellation[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 1000) })) {
    const sa = wf.typedSearchAttributes;
    out.push({
      workflowId: wf.workflowId,
      runId: wf.runId,
      status: wf.status.name,
      provider: sa.get(ProviderKey),
      merchantId: sa.get(MerchantKey),
      orderId: sa.get(OrderKey),
      stage: sa.get(StageKey),
      outcome: sa.get(OutcomeKey),
      startTime: wf.startTime.toISOString(),
      closeTime: wf.closeTime?.toISOString(),
    });
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Resolve a run waiting in needs_review: `retry` runs the policy again from a fresh query;
 * `mark_resolved` closes the case with the operator's note. Returns the state after the update.
 * Throws RequestError (bad resolution), CancellationNotFoundError, or ReviewRejectedError when the
 * run is not in review, or when another resolution of the same review got there first.
 *
 * Every resolution of one review is sent with the same update id, so Temporal runs only the first
 * and hands its result to the others; a caller whose resolution was not the one applied is told
 * so, instead of being shown someone else's outcome as its own.
 */
export async function resolveReview(
  client: Client,
  workflowId: string,
  resolution: unknown,
): Promise<CancellationState> {
  const parsed = parseReviewResolution(resolution);
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  let runId: string;
  try {
    const description = await handle.describe();
    runId = description.runId;
    if (description.status.name !== 'RUNNING') throw await finished(handle, workflowId, description.status.name);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new CancellationNotFoundError(workflowId);
    throw err;
  }
  const review = await client
    .withDeadline(Date.now() + 5_000, () => handle.query(getStateQuery))
    .then(
      (state) => state.review,
      () => undefined,
    );
  let state: CancellationState;
  try {
    state = await handle.executeUpdate(resolveReviewUpdate, {
      args: [parsed],
      ...(review ? { updateId: `resolve-review:${runId}:${review.since}` } : {}),
    });
  } catch (err) {
    // The run ended between the describe and the update: another resolution ended it.
    if (err instanceof WorkflowNotFoundError) throw await finished(handle, workflowId, 'COMPLETED');
    // The workflow's validator refused it, e.g. "this cancellation is querying, not waiting for review".
    if (err instanceof WorkflowUpdateFailedError)
      throw new ReviewRejectedError(workflowId, err.cause?.message ?? err.message);
    throw err;
  }
  if (!appliedHere(parsed, state))
    throw new ReviewRejectedError(workflowId, `this review was already resolved by someone else: ${resolvedBy(state)}`);
  return state;
}

/** Whether the state after the update is this resolution's doing (and not another caller's, deduplicated into ours). */
function appliedHere(resolution: ReviewResolution, state: CancellationState): boolean {
  const outcome = state.outcome;
  if (resolution.action === 'retry') return outcome?.kind !== 'resolved_by_operator';
  return (
    outcome?.kind === 'resolved_by_operator' &&
    outcome.note === resolution.note &&
    outcome.operator === resolution.operator
  );
}

const resolvedBy = (state: CancellationState): string =>
  state.outcome?.kind === 'resolved_by_operator'
    ? `marked resolved${state.outcome.operator ? ` by ${state.outcome.operator}` : ''}: ${state.outcome.note}`
    : `now ${state.stage}: ${state.details}`;

/** The refusal for a run that has finished, saying how when an operator already resolved it. */
async function finished(handle: WorkflowHandle, workflowId: string, status: string): Promise<ReviewRejectedError> {
  const outcome =
    status === 'COMPLETED' ? ((await handle.result().catch(() => undefined)) as Outcome | undefined) : undefined;
  const how =
    outcome?.kind === 'resolved_by_operator'
      ? `already resolved${outcome.operator ? ` by ${outcome.operator}` : ''}: ${outcome.note}`
      : status.toLowerCase();
  return new ReviewRejectedError(workflowId, `this cancellation has finished (${how}); there is nothing to resolve`);
}

/**
 * Deliver a payment notification: the order's open run stops waiting and queries the provider now.
 * When the cancellation has already ended without money (closed unpaid, already closed, not found,
 * reversed without money returned) a "paid" notification starts one new run for the order, which
 * queries and refunds the late payment ({@link deliverPaymentNotification} says which happened).
 * Deliver only notifications whose signature was verified. Returns false when no run received it: no
 * cancellation exists, or the finished one is left alone. Bad input throws RequestError.
 */
export async function notifyPayment(client: Client, workflowId: string, notification: unknown): Promise<boolean> {
  const delivery = await deliverPaymentNotification(client, workflowId, notification);
  return delivery.result === 'signalled' || delivery.result === 'late_payment_run';
}

/**
 * The library as one object: a Temporal client plus the task queue Rescind's workers poll.
 *
 * ```ts
 * const rescind = new RescindClient(existingTemporalClient, { taskQueue: 'rescind' });
 * ```
 */
export class RescindClient {
  constructor(
    readonly client: Client,
    readonly options: StartOptions & ReadOptions,
  ) {}

  /** Connect with configuration from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, RESCIND_TASK_QUEUE, ...). */
  static async connect(settings: TemporalSettings = loadTemporalSettings()): Promise<RescindClient> {
    return new RescindClient(await connectClient(settings.temporal), { taskQueue: settings.taskQueue });
  }

  /** See {@link startCancellation}. */
  start(request: unknown): Promise<StartResult> {
    return startCancellation(this.client, this.options, request);
  }

  /** See {@link getCancellationById}. */
  get(ref: CancellationRef): Promise<CancellationView | undefined> {
    return getCancellationById(this.client, workflowIdOf(ref), this.options);
  }

  /** See {@link waitForOutcome}. */
  waitForOutcome(ref: CancellationRef, options?: { timeoutMs?: number }): Promise<Outcome> {
    return waitForOutcome(this.client, workflowIdOf(ref), options);
  }

  /** See {@link listCancellations}. */
  list(filter?: ListFilter): Promise<ListedCancellation[]> {
    return listCancellations(this.client, filter);
  }

  /** See {@link resolveReview}. */
  resolveReview(ref: CancellationRef, resolution: unknown): Promise<CancellationState> {
    return resolveReview(this.client, workflowIdOf(ref), resolution);
  }

  /** See {@link notifyPayment}. */
  notifyPayment(ref: CancellationRef, notification: unknown): Promise<boolean> {
    return notifyPayment(this.client, workflowIdOf(ref), notification);
  }

  /** See {@link deliverPaymentNotification}. */
  deliverPaymentNotification(ref: CancellationRef, notification: unknown): Promise<NotificationDelivery> {
    return deliverPaymentNotification(this.client, workflowIdOf(ref), notification);
  }

  /** Close the Temporal connection. */
  close(): Promise<void> {
    return this.client.connection.close();
  }
}
