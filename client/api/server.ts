/**
 * The HTTP API for callers in other languages and the provider notification receivers, on one
 * fastify server:
 *
 * - /v1/...         bearer token (RESCIND_API_TOKENS), JSON bodies up to RESCIND_API_BODY_LIMIT;
 * - /notify/{id}    no token, the provider's signature verified on the raw body;
 * - /openapi.json and /healthz, open.
 *
 * With no tokens configured, /v1 is open and the server refuses to listen anywhere but loopback.
 * Logs are pino JSON; the Authorization header and signature headers are redacted.
 */
import { ServiceError, type Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ServiceConfig } from '../config.js';
import { bearerAllowed, requireTokens } from './auth.js';
import { registerCancellationRoutes } from './cancellations.js';
import { registerNotificationReceivers } from './notifications/index.js';
import { OPENAPI } from './openapi.js';

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

/** Headers that must never reach a log line. */
const REDACT = ['req.headers.authorization', 'req.headers["x-qf-sign"]', 'req.headers["wechatpay-signature"]', 'req.headers["x-pingplusplus-signature"]', 'headers.authorization'];

export function buildApi(options: ApiOptions & { authRequired: boolean }): { app: FastifyInstance; routes: string[] } {
  const { config, client } = options;
  const routes: string[] = [];
  const app = Fastify({
    bodyLimit: config.api.bodyLimit,
    logger: { level: options.logLevel ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Order ids end up in URLs; keep them out of the way of routing surprises.
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/openapi.json', async () => OPENAPI);

  // Notifications: signatures cover the raw bytes, so no parser may touch the body first.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    registerNotificationReceivers(scope, { config, client });
  });

  app.register(async (v1) => {
    v1.addHook('onRequest', async (req, reply) => {
      if (options.authRequired && !bearerAllowed(req.headers.authorization, config.api.tokens)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' });
      }
    });
    v1.setErrorHandler((err: FastifyError, req, reply) => {
      if (err.statusCode === 413) return reply.code(413).send({ error: 'body_too_large', message: `the body is larger than ${config.api.bodyLimit} bytes` });
      if (err.statusCode === 415) return reply.code(415).send({ error: 'unsupported_media_type', message: 'send JSON with Content-Type: application/json' });
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return reply.code(400).send({ error: 'invalid_request', message: err.message, fields: [{ field: '(body)', message: err.message }] });
      }
      if ((err as unknown) instanceof ServiceError) {
        req.log.error({ err }, 'Temporal call failed');
        return reply.code(503).send({ error: 'temporal_unavailable', message: 'Temporal could not be reached; try again' });
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
  if (!authRequired) app.log.warn(`RESCIND_API_TOKENS is empty: /v1 is open to every process on this machine (listening on ${host} only)`);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${port}`, authRequired, routes, close: () => app.close() };
}
