/**
 * The sandbox: one fastify server simulating all four providers under path prefixes
 * (/payjs, /qfpay, /wechatpay, /pingpp), Ping++ and WeChat Pay also at the root (/v1, /v3),
 * plus the admin API under /_admin.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ProviderId } from '../domain/index.js';
import { registerAdmin } from './admin.js';
import { loadSandboxCredentials, type SandboxCredentials } from './credentials.js';
import { FaultPlan } from './faults.js';
import { Notifier } from './notifier.js';
import { SIMULATORS } from './providers/index.js';
import type { ProviderSimulator, SandboxContext } from './simulator.js';
import { SandboxStore } from './store.js';
import { RequestCounter } from './request-counter.js';

/** Providers whose routes are also served without their prefix: Ping++ at /v1/, WeChat Pay at /v3/. */
export const ROOT_ALIASED: readonly ProviderId[] = ['pingpp', 'wechatpay'];

export interface SandboxOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Folder holding the RSA key pairs (see credentials.ts). */
  keyDir: string;
  /** Where payment notifications are delivered. */
  notifyUrl?: string;
  notifyRetryDelaysMs?: number[];
  logger?: boolean;
}

export interface Sandbox {
  app: FastifyInstance;
  url: string;
  ctx: SandboxContext;
  close(): Promise<void>;
}

export function buildSandbox(
  options: Omit<SandboxOptions, 'host' | 'port'>,
  simulators: ProviderSimulator[] = SIMULATORS,
) {
  const credentials: SandboxCredentials = loadSandboxCredentials(options.keyDir);
  const byId = new Map<ProviderId, ProviderSimulator>(simulators.map((s) => [s.id, s]));
  const store = new SandboxStore(Object.fromEntries(simulators.map((s) => [s.id, s.identity])));
  const ctx: SandboxContext = {
    store,
    faults: new FaultPlan(),
    notifier: new Notifier(options.notifyUrl, options.notifyRetryDelaysMs),
    credentials,
    requests: new RequestCounter(),
  };
  // forceCloseConnections: held "timeout" faults must not keep the server from closing.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  // Signatures cover raw bytes, so every simulator gets the body as a string and parses it itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // Provider traffic is counted on arrival and on answer: a dropped connection never answers.
  const routeOf = (req: FastifyRequest) => req.routeOptions.url ?? req.url.split('?')[0]!;
  app.addHook('onRequest', async (req) => {
    if (!routeOf(req).startsWith('/_admin')) ctx.requests.received(req.method, routeOf(req));
  });
  app.addHook('onResponse', async (req, reply) => {
    if (!routeOf(req).startsWith('/_admin')) ctx.requests.answered(req.method, routeOf(req), reply.statusCode);
  });
  app.register(async (admin) => {
    admin.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    registerAdmin(admin, ctx, byId);
  });
  for (const sim of simulators) {
    app.register(async (scope) => sim.register(scope, ctx), { prefix: `/${sim.id}` });
  }
  // SDKs that can change only the host are served at the root too: the official pingpp SDK keeps
  // its /v1/ base path, and WeChat Pay SDKs sign the canonical /v3/... path. The two path spaces do
  // not overlap, and the other providers live only under their prefixes.
  for (const id of ROOT_ALIASED) {
    const sim = byId.get(id);
    if (sim) app.register(async (scope) => sim.register(scope, ctx));
  }
  return { app, ctx };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { app, ctx } = buildSandbox(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    ctx,
    url: `http://${host}:${port}`,
    close: async () => {
      ctx.notifier.reset();
      await app.close();
    },
  };
}
