/**
 * Where Temporal is and how to reach it: the connection settings every process shares (worker, API,
 * CLI, library, scripts), and the connections built from them, so a local dev server, a self-hosted
 * cluster with mTLS and Temporal Cloud with an API key all work the same way.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { bool, loadOrThrow, readVariables, text, type Env } from './env.js';

export const TEMPORAL_ENV = {
  TEMPORAL_ADDRESS: text.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: text.default('default'),
  TEMPORAL_API_KEY: text.optional(),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: text.optional(),
  TEMPORAL_TLS_KEY_PATH: text.optional(),
  TEMPORAL_TLS_CA_PATH: text.optional(),
  TEMPORAL_TLS_SERVER_NAME: text.optional(),
  // Workflows run on RESCIND_TASK_QUEUE, provider calls on `${RESCIND_TASK_QUEUE}-${provider}`.
  RESCIND_TASK_QUEUE: text.default('rescind'),
};

export interface TemporalConfig {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
}

export interface TemporalSettings {
  temporal: TemporalConfig;
  /** The task queue Rescind's workflows run on. */
  taskQueue: string;
}

/** Read the Temporal settings; problems are collected by variable name. */
export function readTemporalSettings(env: Env, problems: string[]): TemporalSettings {
  const v = readVariables(TEMPORAL_ENV, env, problems);
  if (Boolean(v.TEMPORAL_TLS_CERT_PATH) !== Boolean(v.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both for mTLS, or neither');
  }
  const useTls = v.TEMPORAL_TLS ?? Boolean(v.TEMPORAL_API_KEY || v.TEMPORAL_TLS_CERT_PATH);
  const tls = {
    certPath: v.TEMPORAL_TLS_CERT_PATH,
    keyPath: v.TEMPORAL_TLS_KEY_PATH,
    caPath: v.TEMPORAL_TLS_CA_PATH,
    serverName: v.TEMPORAL_TLS_SERVER_NAME,
  };
  return {
    temporal: {
      address: v.TEMPORAL_ADDRESS,
      namespace: v.TEMPORAL_NAMESPACE,
      apiKey: v.TEMPORAL_API_KEY,
      tls: useTls ? tls : undefined,
    },
    taskQueue: v.RESCIND_TASK_QUEUE,
  };
}

/** The Temporal settings from the environment, or a ConfigError naming every bad variable. */
export const loadTemporalSettings = (env: Env = process.env): TemporalSettings => loadOrThrow(readTemporalSettings, env);

function tlsOptions(config: TemporalConfig): TLSConfig | undefined {
  if (!config.tls) return undefined;
  const { certPath, keyPath, caPath, serverName } = config.tls;
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: caPath ? readFileSync(caPath) : undefined,
    clientCertPair: certPath && keyPath ? { crt: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
  };
}

/** The worker's connection (native, Rust core). */
export async function connectWorker(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.address, tls: tlsOptions(config), apiKey: config.apiKey });
}

/** A client for starting, reading and steering workflows. */
export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({
    address: config.address,
    tls: tlsOptions(config),
    apiKey: config.apiKey,
  });
  return new Client({ connection, namespace: config.namespace });
}
