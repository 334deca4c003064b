/**
 * Configuration of the processes callers and operators run (CLI, HTTP API, local sandbox): the
 * Temporal settings, the API and sandbox addresses and reconciliation. Provider credentials are
 * loaded only where notifications must be verified (`loadServiceConfig`), never by the library.
 */
import { readProvidersConfig, type ProvidersConfig } from '../activities/providers/index.js';
import { readReconcileSettings, type ReconcileSettings } from '../activities/reconcile/config.js';
import { loadOrThrow, port, readVariables, text, url, type Env } from '../platform/env.js';
import { readTemporalSettings, type TemporalSettings } from '../platform/temporal.js';
import { z } from 'zod';

export const CLIENT_ENV = {
  // HTTP API for callers in other languages and provider notifications.
  RESCIND_API_HOST: text.default('127.0.0.1'),
  RESCIND_API_PORT: port.default(4000),
  RESCIND_API_TOKENS: text.optional(),
  RESCIND_API_BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  // Sandbox (local provider simulators).
  RESCIND_SANDBOX_HOST: text.default('127.0.0.1'),
  RESCIND_SANDBOX_PORT: port.default(4100),
  RESCIND_SANDBOX_NOTIFY_URL: url.optional(),
};

export interface ClientConfig extends TemporalSettings {
  api: { host: string; port: number; tokens: string[]; bodyLimit: number };
  sandbox: { host: string; port: number; notifyUrl?: string };
  reconcile: ReconcileSettings;
}

/** Everything a service process needs: the client's settings plus every configured provider. */
export interface ServiceConfig extends ClientConfig {
  providers: ProvidersConfig;
}

export function readClientConfig(env: Env, problems: string[]): ClientConfig {
  const temporal = readTemporalSettings(env, problems);
  const v = readVariables(CLIENT_ENV, env, problems);
  return {
    ...temporal,
    api: {
      host: v.RESCIND_API_HOST,
      port: v.RESCIND_API_PORT,
      tokens: (v.RESCIND_API_TOKENS ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      bodyLimit: v.RESCIND_API_BODY_LIMIT,
    },
    sandbox: { host: v.RESCIND_SANDBOX_HOST, port: v.RESCIND_SANDBOX_PORT, notifyUrl: v.RESCIND_SANDBOX_NOTIFY_URL },
    reconcile: readReconcileSettings(env, problems),
  };
}

export function readServiceConfig(env: Env, problems: string[]): ServiceConfig {
  return { ...readClientConfig(env, problems), providers: readProvidersConfig(env, problems) };
}

/** The client's configuration (no provider credentials), or a ConfigError naming every bad variable. */
export const loadClientConfig = (env: Env = process.env): ClientConfig => loadOrThrow(readClientConfig, env);

/** The whole configuration, provider credentials included (API, worker, local stack). */
export const loadServiceConfig = (env: Env = process.env): ServiceConfig => loadOrThrow(readServiceConfig, env);
