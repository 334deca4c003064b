/**
 * Not a workflow: the workflow interceptors the worker adds when tracing is on (worker/tracing.ts),
 * bundled with the workflows. A span for each run, signal, update and activity start, parented by the
 * caller's span from the workflow's headers; spans leave the sandbox through the worker's `exporter`
 * sink, which is not called on replay.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
