/**
 * RESCIND_METRICS_ADDRESS: where a worker process serves its metrics (Rescind's and the Temporal
 * SDK's, one scrape). A host and a port, like the SDK's own bind address; off when unset.
 */
import { z } from 'zod';
import { loadOrThrow, readVariables, type Env } from '../env.js';

export interface MetricsAddress {
  host: string;
  port: number;
}

/** "127.0.0.1:9464", "0.0.0.0:9464", "[::1]:9464" or "metrics.local:9464"; nothing else (no scheme, no path). */
export function parseMetricsAddress(value: string): MetricsAddress | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export const metricsAddress = z.string().transform((value, ctx) => {
  const parsed = parseMetricsAddress(value);
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected host:port, e.g. 127.0.0.1:9464 (port 1-65535, no scheme or path)',
    });
    return z.NEVER;
  }
  return parsed;
});

export const METRICS_ENV = {
  RESCIND_METRICS_ADDRESS: metricsAddress.optional(),
};

export function readMetricsAddress(env: Env, problems: string[]): MetricsAddress | undefined {
  return readVariables(METRICS_ENV, env, problems).RESCIND_METRICS_ADDRESS;
}

/** The address, or a ConfigError naming the variable. */
export const loadMetricsAddress = (env: Env = process.env): MetricsAddress | undefined =>
  loadOrThrow(readMetricsAddress, env);

/** As written in URLs: IPv6 in brackets. */
export const hostForUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host);
