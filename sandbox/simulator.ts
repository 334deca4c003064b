/** The contract each provider simulator in sandbox/providers/<id>/ implements. */
import type { FastifyInstance } from 'fastify';
import type { ProviderId } from '../domain/index.js';
import type { SandboxCredentials } from './credentials.js';
import type { FaultPlan } from './faults.js';
import type { Notifier, OutgoingNotification } from './notifier.js';
import type { ProviderIdentity, SandboxOrder, SandboxStore } from './store.js';
import type { RequestCounter } from './request-counter.js';

export interface SandboxContext {
  store: SandboxStore;
  faults: FaultPlan;
  notifier: Notifier;
  credentials: SandboxCredentials;
  requests: RequestCounter;
}

export interface ProviderSimulator {
  id: ProviderId;
  identity: ProviderIdentity;
  /**
   * Register the provider's real routes. Called inside a fastify scope prefixed with `/<id>`, and for
   * providers whose SDKs assume the API at the host's root (Ping++ /v1, WeChat Pay /v3) at the root too.
   */
  register(app: FastifyInstance, ctx: SandboxContext): void;
  /** Build the signed payment notification this provider would send for a paid order. */
  paymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification;
  /** The environment variables that point Rescind's adapter for this provider at the sandbox (`base` = its URL). */
  workerEnv(base: string, keyDir: string): Record<string, string>;
  /** The identifiers the provider would have returned at order creation (for the admin API). */
  describe(order: SandboxOrder): Record<string, unknown>;
}
