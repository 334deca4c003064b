/**
 * OpenTelemetry tracing for Rescind's own processes (API, worker, `npm start`): on when
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, exporting over OTLP/HTTP;
 * off otherwise, with no provider, interceptor or hook installed at all. The standard OTEL_* variables
 * (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER,
 * OTEL_BSP_*, OTEL_PROPAGATORS, ...) are read by the OpenTelemetry SDK itself.
 *
 * One provider per process, registered globally: Temporal's interceptors and the API's request span
 * reach it through @opentelemetry/api, and its context manager carries the active span across awaits.
 */
import { type ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import { bool, type Env, loadOrThrow, readVariables } from './env.js';

// OTLP/HTTP: an http(s) URL (a bare host:port would parse as a URL with an odd scheme).
const otlpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

export const TRACING_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpUrl.optional(),
  OTEL_SDK_DISABLED: bool.optional(),
};

export interface Tracing {
  provider: NodeTracerProvider;
  /** Where spans go; Temporal's workflow span sink hands workflow spans to it too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Export what is buffered and stop. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  env?: Env;
  /** Export here instead of OTLP, and at once (tests pass an InMemorySpanExporter). */
  exporter?: SpanExporter;
}

let active: Tracing | undefined;

/** Whether the environment asks for OTLP export (a bad endpoint is a ConfigError naming it). */
export function tracingConfigured(env: Env = process.env): boolean {
  const v = loadOrThrow((e, problems) => readVariables(TRACING_ENV, e, problems), env);
  return !v.OTEL_SDK_DISABLED && Boolean(v.OTEL_EXPORTER_OTLP_ENDPOINT ?? v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The tracing this process started, if any. */
export const activeTracing = (): Tracing | undefined => active;

/**
 * Start tracing for this process as `serviceName` (OTEL_SERVICE_NAME wins), once: a second call
 * returns the first one's tracing. Undefined when tracing is off (no endpoint and no exporter given).
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): Tracing | undefined {
  if (active) return active;
  if (!options.exporter && !tracingConfigured(options.env)) return undefined;
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': serviceName }))
    .merge(envDetectorSync.detect());
  // The OTLP exporter reads its endpoint, headers and timeout from the OTEL_EXPORTER_OTLP_* variables.
  const spanProcessor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const tracing: Tracing = {
    provider,
    spanProcessor,
    resource,
    shutdown: async () => {
      if (active === tracing) active = undefined;
      await provider.shutdown();
    },
  };
  active = tracing;
  // Entry points end by letting the event loop empty (never process.exit on success): flush then.
  process.once('beforeExit', () => void tracing.shutdown());
  return tracing;
}

/**
 * Interceptors for a Temporal client: a span per start, signal, query and update, its context sent
 * in the workflow's headers. Present when this process traces or the environment asks for tracing
 * (a library caller's own OpenTelemetry SDK then gets the spans); absent otherwise.
 */
export function tracingClientInterceptors(env: Env = process.env): ClientInterceptors | undefined {
  if (!active && !tracingConfigured(env)) return undefined;
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
