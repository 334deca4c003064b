/**
 * The HTTP API for callers in other languages and the provider notification receivers, on one
 * fastify server:
 *
 * - /v1/...         bearer token (RESCIND_API_TOKENS), JSON bodies up to RESCIND_API_BODY_LIMIT;
 * - /notify/{id}    no token, the provider's signature verified on the raw body;
 * - /openapi.json and /healthz, open;
 * - /metrics        Prometheus metrics, with the bearer token as for /v1.
 *
 * With no tokens configured, /v1 is open and the server refuses to listen anywhere but loopback.
 * Logs are pino JSON; the Authorization header and signature headers are redacted, and a URL is
 * logged as its path and route, never with its query string (callers put tokens there).
 */
import { ServiceError, type Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ServiceConfig } from '../config.js';
import { prototypeKeyPath, type FieldError } from '../request.js';
import { bearerAllowed, requireTokens } from './auth.js';
import { registerCancellationRoutes } from './cancellations.js';
import { registerMetricsRoute } from './metrics.js';
import { registerNotificationReceivers } from './notifications/index.js';
import { OPENAPI } from './openapi.js';
import { traceRequests } from './tracing.js';

export interface ApiOptions {
  config: ServiceConfig;
  client: Client;
  /** Defaults to config.api.host / config.api.port (0 picks a free port). */
  host?: string;
  port?: number;
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel?: string;
  /** Where log lines go (default stdout). */
  logStream?: { write(line: string): void };
}

export interface ApiServer {
  app: FastifyInstance;
  url: string;
  /** Whether /v1 asks for a bearer token (false only on loopback with no tokens configured). */
  authRequired: boolean;
  /** Every route served, as "METHOD /path" (for the OpenAPI check). */
  routes: string[];
  close(): Promise<void>;
}

/** The path as logged and echoed: no query string (it may carry a token), and not too long to read. */
export function loggablePath(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return query === undefined ? shown : `${shown}?[query not logged]`;
}

/** The request as a log line shows it. */
const requestForLog = (req: FastifyRequest) => ({
  method: req.method,
  url: loggablePath(req.url),
  route: req.routeOptions?.url,
  remoteAddress: req.ip,
});

/** A body the v1 parser refused: its status, and the fields to name when it is a 400. */
class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

/** "text/plain" from the header, quoted and bounded, for an answer that names it. */
const mediaType = (header: string | undefined): string =>
  JSON.stringify((header ?? '(none)').split(';')[0]!.trim().slice(0, 80));

/** JSON bodies for /v1: UTF-8 only, and no key that reaches an object's prototype. */
function parseJsonBody(req: FastifyRequest, body: string): unknown {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset))
    throw new BodyError(415, `charset=${charset.slice(0, 40)} is not accepted: send the JSON as UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new BodyError(400, `the body is not valid JSON (${(err as Error).message})`);
  }
  const key = prototypeKeyPath(value);
  if (key)
    throw new BodyError(400, `${key}: the key "${key.split('.').pop()}" is not allowed`, [
      { field: key, message: `the key "${key.split('.').pop()}" is not allowed in a request` },
    ]);
  return value;
}

/** Path parameters of the /v1 routes, by position, to name the one the router could not read. */
const V1_PARAMS = ['', '', 'provider', 'merchant', 'order'];

/** Which path parameter is bad (undecodable, or too long for the router); "path" when it is not a /v1 parameter. */
function badParameter(url: string, bad: (segment: string) => boolean): string {
  const segments = (url.split('?', 1)[0] ?? '').split('/').slice(1);
  const index = segments.findIndex(bad);
  return segments[0] === 'v1' && segments[1] === 'cancellations' ? V1_PARAMS[index] || 'path' : 'path';
}

const undecodable = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
};

/** The router gave up on the URL before any route ran: answer in the API's shape, without echoing the URL. */
function frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const bad = (field: string, message: string) =>
    reply.code(400).send({ error: 'invalid_request', message: `${field}: ${message}`, fields: [{ field, message }] });
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void bad(
      badParameter(req.url, (s) => s.length > MAX_PARAM_LENGTH),
      `longer than ${MAX_PARAM_LENGTH} characters (ids are at most 64)`,
    );
    return;
  }
  void bad(
    badParameter(req.url, undecodable),
    'bad percent-encoding (a % must start a valid UTF-8 escape such as %2F)',
  );
}

/** Longer path parameters are refused by the router itself (ids are at most 64 characters). */
const MAX_PARAM_LENGTH = 100;

/** Headers that must never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-qf-sign"]',
  'req.headers["wechatpay-signature"]',
  'req.headers["x-pingplusplus-signature"]',
  'headers.authorization',
];

export function buildApi(options: ApiOptions & { authRequired: boolean }): { app: FastifyInstance; routes: string[] } {
  const { config, client } = options;
  const routes: string[] = [];
  const app = Fastify({
    bodyLimit: config.api.bodyLimit,
    logger: {
      level: options.logLevel ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { req: requestForLog },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Order ids end up in URLs; keep them out of the way of routing surprises.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkError,
  });
  // A span per request when tracing is on (client/api/tracing.ts).
  traceRequests(app);
  // Fastify's own 404 echoes the URL, query string included.
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${req.method} ${loggablePath(req.url)}; see /openapi.json` }),
  );
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => OPENAPI);
  registerMetricsRoute(app, {
    client,
    taskQueue: config.taskQueue,
    authRequired: options.authRequired,
    tokens: config.api.tokens,
  });

  // Notifications: signatures cover the raw bytes, so no parser may touch the body first.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    registerNotificationReceivers(scope, { config, client });
  });

  app.register(async (v1) => {
    // JSON only: a text/plain or form body is a 415, not a string for the schema to puzzle over.
    v1.removeAllContentTypeParsers();
    v1.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      try {
        done(null, parseJsonBody(req, body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    v1.addHook('onRequest', async (req, reply) => {
      if (options.authRequired && !bearerAllowed(req.headers.authorization, config.api.tokens)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' });
      }
    });
    v1.setErrorHandler((err: FastifyError, req, reply) => {
      if (err.statusCode === 413)
        return reply
          .code(413)
          .send({ error: 'body_too_large', message: `the body is larger than ${config.api.bodyLimit} bytes` });
      if (err.statusCode === 415) {
        const why =
          err instanceof BodyError ? err.message : `${mediaType(req.headers['content-type'])} is not accepted`;
        return reply
          .code(415)
          .send({ error: 'unsupported_media_type', message: `${why}: send JSON with Content-Type: application/json` });
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        const fields =
          err instanceof BodyError && err.fields ? err.fields : [{ field: '(body)', message: err.message }];
        return reply.code(400).send({ error: 'invalid_request', message: err.message, fields });
      }
      if ((err as unknown) instanceof ServiceError) {
        req.log.error({ err }, 'Temporal call failed');
        return reply
          .code(503)
          .send({ error: 'temporal_unavailable', message: 'Temporal could not be reached; try again' });
      }
      req.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'internal error; see the server log' });
    });
    registerCancellationRoutes(v1, { config, client });
  });
  return { app, routes };
}

/** Start the API; resolves once it listens. */
export async function startApiServer(options: ApiOptions): Promise<ApiServer> {
  const host = options.host ?? options.config.api.host;
  const authRequired = requireTokens(host, options.config.api.tokens);
  const { app, routes } = buildApi({ ...options, authRequired });
  await app.listen({ host, port: options.port ?? options.config.api.port });
  if (!authRequired)
    app.log.warn(
      `RESCIND_API_TOKENS is empty: /v1 is open to every process on this machine (listening on ${host} only)`,
    );
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${port}`, authRequired, routes, close: () => app.close() };
}
