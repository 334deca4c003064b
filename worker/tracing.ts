/**
 * The worker's part of tracing (platform/tracing.ts): when on, workflow spans through the workflow
 * interceptors and their sink, a span per activity attempt parented by the workflow's activity start,
 * and each provider call's attributes on it (activities/tracing.ts). When off, nothing is added.
 */
import { fileURLToPath } from 'node:url';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';
import type { WorkerOptions } from '@temporalio/worker';
import { tracedAdapters } from '../activities/tracing.js';
import type { ProviderAdapter } from '../activities/providers/provider.js';
import type { ProviderId } from '../domain/index.js';
import { startTracing } from '../platform/tracing.js';

export const WORKFLOW_TRACING_MODULE = fileURLToPath(new URL('../workflows/tracing-interceptors.ts', import.meta.url));

export interface WorkerTracing {
  /** The worker options with tracing's interceptors and sink added to those already there. */
  apply(options: WorkerOptions): WorkerOptions;
  adapters(adapters: Partial<Record<ProviderId, ProviderAdapter>>): Partial<Record<ProviderId, ProviderAdapter>>;
}

const OFF: WorkerTracing = { apply: (options) => options, adapters: (a) => a };

/** The worker's tracing: the process's own (started here as rescind-worker when configured), or none. */
export function workerTracing(): WorkerTracing {
  const tracing = startTracing('rescind-worker');
  if (!tracing) return OFF;
  const exporter = makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
  return {
    apply: (options) => ({
      ...options,
      interceptors: {
        ...options.interceptors,
        workflowModules: [...(options.interceptors?.workflowModules ?? []), WORKFLOW_TRACING_MODULE],
        // First, so the other activity interceptors and the activity run inside its span.
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
          ...(options.interceptors?.activity ?? []),
        ],
      },
      sinks: { ...options.sinks, exporter },
    }),
    adapters: tracedAdapters,
  };
}
