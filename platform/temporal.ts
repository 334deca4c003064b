/**
 * Where Temporal is and how to reach it: the connection settings every process shares (worker, API,
 * CLI, library, scripts), and the connections built from them, so a local dev server, a self-hosted
 * cluster with mTLS and Temporal Cloud with an API key all work the same way. The settings are
 * Temporal's standard client configuration (profiles and TEMPORAL_* variables, platform/envconfig.ts);
 * with RESCIND_PAYLOAD_KEYS set, every client and worker encrypts payloads (platform/codec.ts).
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection, type DataConverter, type TLSConfig } from '@temporalio/client';
import { type ConfigDataSource, loadConfigData } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { PAYLOAD_KEYS_VARIABLE, parsePayloadKeys, PayloadEncryptionCodec, type PayloadKey } from './codec.js';
import { bool, loadOrThrow, readVariables, text, type Env } from './env.js';
import { readClientProfile } from './envconfig.js';
import { tracingClientInterceptors } from './tracing.js';

export const TEMPORAL_ENV = {
  // Temporal's standard client configuration (the Temporal CLI reads the same).
  TEMPORAL_CONFIG_FILE: text.optional(),
  TEMPORAL_PROFILE: text.optional(),
  TEMPORAL_ADDRESS: text.optional(),
  TEMPORAL_NAMESPACE: text.optional(),
  TEMPORAL_API_KEY: text.optional(),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: text.optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: text.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: text.optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: text.optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: text.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: text.optional(),
  TEMPORAL_TLS_SERVER_NAME: text.optional(),
  // Rescind's earlier names for the TLS files, aliases of the three *_PATH variables above (TLS_ALIASES).
  TEMPORAL_TLS_CERT_PATH: text.optional(),
  TEMPORAL_TLS_KEY_PATH: text.optional(),
  TEMPORAL_TLS_CA_PATH: text.optional(),
  // Workflows run on RESCIND_TASK_QUEUE, provider calls on `${RESCIND_TASK_QUEUE}-${provider}`.
  RESCIND_TASK_QUEUE: text.default('rescind'),
  // Payload encryption keys `id:base64,...`, current first; unset: payloads are stored as plain JSON.
  [PAYLOAD_KEYS_VARIABLE]: text.optional(),
};

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export interface TemporalConfig {
  address: string;
  namespace: string;
  apiKey?: string;
  /** Present when TLS is on; certificates and keys are files or inline data, read on connect. */
  tls?: {
    serverName?: string;
    clientCert?: ConfigDataSource;
    clientKey?: ConfigDataSource;
    serverCACert?: ConfigDataSource;
  };
  /** Extra gRPC headers (a profile's grpc_meta, TEMPORAL_GRPC_META_*). */
  grpcMeta?: Record<string, string>;
  /** Where the settings came from when a profile file was read, for messages. */
  profile?: string;
  /** Payload encryption keys, current first; absent: payloads are not encrypted. */
  payloadKeys?: PayloadKey[];
}

export interface TemporalSettings {
  temporal: TemporalConfig;
  /** The task queue Rescind's workflows run on. */
  taskQueue: string;
}

/** Read the Temporal settings; problems are collected by variable (or profile file) name. */
export function readTemporalSettings(env: Env, problems: string[]): TemporalSettings {
  const v = readVariables(TEMPORAL_ENV, env, problems);
  const profile = readClientProfile(env, v.TEMPORAL_TLS, problems);
  const keys = v[PAYLOAD_KEYS_VARIABLE] ? parsePayloadKeys(v[PAYLOAD_KEYS_VARIABLE], problems) : undefined;
  return {
    temporal: {
      address: profile.address ?? DEFAULT_TEMPORAL_ADDRESS,
      namespace: profile.namespace ?? 'default',
      apiKey: profile.apiKey,
      tls: profile.tls,
      grpcMeta: profile.grpcMeta,
      profile: profile.source,
      payloadKeys: keys?.length ? keys : undefined,
    },
    taskQueue: v.RESCIND_TASK_QUEUE,
  };
}

/** The Temporal settings from the environment, or a ConfigError naming every bad variable. */
export const loadTemporalSettings = (env: Env = process.env): TemporalSettings =>
  loadOrThrow(readTemporalSettings, env);

/** TLS options for the SDK; `false` (not undefined) so an API key alone cannot turn TLS back on. */
function tlsOptions(config: TemporalConfig): TLSConfig | false {
  if (!config.tls) return false;
  const { serverName, clientCert, clientKey, serverCACert } = config.tls;
  const crt = loadConfigData(clientCert);
  const key = loadConfigData(clientKey);
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: loadConfigData(serverCACert),
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
}

const connectionOptions = (config: TemporalConfig) => ({
  address: config.address,
  tls: tlsOptions(config),
  apiKey: config.apiKey,
  metadata: config.grpcMeta,
});

// Loaded by path: Temporal require()s it in the worker, the client and the workflow bundle.
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter/index.js', import.meta.url));

/**
 * The data converter for clients and workers: with payload keys, every payload is encrypted and
 * failure messages travel inside payloads too. Without keys nothing is encrypted, and an encrypted
 * payload met anyway is an error naming its key id (never "unknown encoding").
 */
export function dataConverterFor(config: TemporalConfig): DataConverter {
  const payloadCodecs = [new PayloadEncryptionCodec(config.payloadKeys ?? [])];
  return config.payloadKeys ? { payloadCodecs, failureConverterPath: FAILURE_CONVERTER_PATH } : { payloadCodecs };
}

/** The worker's connection (native, Rust core). Workers take `dataConverterFor(config)` as well. */
export async function connectWorker(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}

/** A client for starting, reading and steering workflows (encrypting payloads when configured). */
export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  // With tracing on (platform/tracing.ts), a workflow started here continues the caller's trace.
  const interceptors = tracingClientInterceptors();
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverterFor(config), interceptors });
}
