/**
 * Counts how each cancellation ended, for Rescind's metrics, without a side effect in workflow
 * code: the outcome leaves through a sink, which the worker calls after the workflow task and never
 * while replaying history (worker/outcome-metrics.ts records it). It emits no command, so histories
 * replay the same with or without it.
 */
import {
  proxySinks,
  workflowInfo,
  type Next,
  type Sinks,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { CANCEL_ORDER_WORKFLOW, OUTCOME_KINDS, type OutcomeKind, type ProviderId } from '../domain/index.js';
import type { CancellationRequest } from './definitions.js';

/** A run that returned its outcome (a continue-as-new or a failure is not an end). */
export interface EndedRun {
  provider: ProviderId;
  outcome: OutcomeKind;
  /** For a refunded outcome: what the provider confirmed. */
  refunded?: { amount: number; currency?: string };
}

export interface RescindMetricsSinks extends Sinks {
  rescindMetrics: { runEnded(run: EndedRun): void };
}

const { rescindMetrics } = proxySinks<RescindMetricsSinks>();

/** The ended run, when the workflow is a cancellation and returned an outcome. */
export function endedRun(args: unknown[], result: unknown): EndedRun | undefined {
  const request = args[0] as CancellationRequest | undefined;
  const outcome = result as { kind?: unknown; amount?: unknown } | undefined;
  const kind = OUTCOME_KINDS.find((k) => k === outcome?.kind);
  if (!request?.order || !kind) return undefined;
  const ended: EndedRun = { provider: request.order.provider, outcome: kind };
  if (kind === 'refunded' && typeof outcome?.amount === 'number')
    ended.refunded = { amount: outcome.amount, currency: request.order.currency };
  return ended;
}

class OutcomeMetrics implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const result = await next(input);
    if (workflowInfo().workflowType === CANCEL_ORDER_WORKFLOW) {
      const ended = endedRun(input.args, result);
      if (ended) rescindMetrics.runEnded(ended);
    }
    return result;
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new OutcomeMetrics()] });
