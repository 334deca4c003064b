/**
 * A server span for each API request (platform/tracing.ts; nothing is added when tracing is off).
 * It is the active span while the route runs, so the workflow start or signal the route sends is its
 * child and the trace goes on into the workflow. A caller's `traceparent` header is honoured. The span
 * names the route template; its attributes are the method, the path without its query string (tokens
 * travel there) and the status: no header, no body.
 */
import { type Context, context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startTracing } from '../../platform/tracing.js';

/** Probes and scrapes would drown the traces that matter. */
const UNTRACED = new Set(['/healthz', '/metrics']);

export function traceRequests(app: FastifyInstance): void {
  if (!startTracing('rescind-api')) return;
  const tracer = trace.getTracer('rescind-api');
  const traced = new WeakMap<FastifyRequest, { span: Span; active: Context }>();

  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url;
    // Unrouted requests (404s) are noise too.
    if (!route || UNTRACED.has(route)) return;
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'http.route': route,
          'url.path': (req.url.split('?', 1)[0] ?? '').slice(0, 200),
        },
      },
      parent,
    );
    traced.set(req, { span, active: trace.setSpan(parent, span) });
  });
  // After the body is parsed and before the handler: the handler runs inside the span's context.
  app.addHook('preHandler', (req, _reply, done) => {
    const entry = traced.get(req);
    if (entry) context.with(entry.active, done);
    else done();
  });
  const end = (req: FastifyRequest, status?: number) => {
    const entry = traced.get(req);
    if (!entry) return;
    traced.delete(req);
    if (status !== undefined) entry.span.setAttribute('http.response.status_code', status);
    if (status === undefined || status >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
    entry.span.end();
  };
  app.addHook('onResponse', async (req, reply) => end(req, reply.statusCode));
  app.addHook('onRequestAbort', async (req) => end(req));
}
