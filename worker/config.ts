/**
 * The worker's configuration, assembled from every part's own variables (Temporal, providers from
 * the registry, reconciliation, API and sandbox addresses). Everything comes from environment
 * variables, is validated with zod, and fails fast with a message naming each bad variable.
 * Secrets are read here and passed only to activities.
 */
import { PROVIDER_ENV } from '../activities/providers/index.js';
import { RECONCILE_ENV } from '../activities/reconcile/config.js';
import { SEND_LIMIT_ENV } from '../activities/providers/send-limit/config.js';
import { CLIENT_ENV, loadServiceConfig, type ServiceConfig } from '../client/config.js';
import { PAYLOAD_KEYS_VARIABLE } from '../platform/codec.js';
import { CODEC_SERVER_ENV } from '../platform/codec-server.js';
import { bool, text, type EnvSchema } from '../platform/env.js';
import { METRICS_ENV } from '../platform/metrics/address.js';
import { TEMPORAL_ENV } from '../platform/temporal.js';
import { WORKER_TUNING_ENV } from './tuning.js';
import { WORKER_VERSIONING_ENV } from './versioning.js';

export { ConfigError } from '../platform/env.js';
export type { ProvidersConfig } from '../activities/providers/index.js';
export type { TemporalConfig } from '../platform/temporal.js';

export type Config = ServiceConfig;

/** The worker's own variable. */
export const WORKER_ENV = {
  // A worker that calls no provider (workflows and reconciliation only) must say so: without it,
  // a worker with no provider credentials is a configuration mistake.
  RESCIND_WORKER_RECONCILE_ONLY: bool.default(false),
};

/** Every variable Rescind reads, with its schema. docker-compose.yml is checked against this list. */
export const ENV_SCHEMA: EnvSchema = {
  ...TEMPORAL_ENV,
  ...CLIENT_ENV,
  ...RECONCILE_ENV,
  ...PROVIDER_ENV,
  ...CODEC_SERVER_ENV,
  [PAYLOAD_KEYS_VARIABLE]: text.optional(),
  ...WORKER_ENV,
  ...WORKER_TUNING_ENV,
  ...WORKER_VERSIONING_ENV,
  ...SEND_LIMIT_ENV,
  ...METRICS_ENV,
};
export const KNOWN_ENV_VARS = Object.keys(ENV_SCHEMA);

/** Load and validate configuration from `env`. Throws ConfigError naming every bad variable. */
export const loadConfig = loadServiceConfig;
