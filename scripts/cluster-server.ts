// Over 250 lines: the whole lifecycle of the local cluster (config, databases, start, stop) in one script.
/**
 * Starts the production-shaped local Temporal cluster: the server built from its Go module
 * (.temporal/server/temporal-server) with the project's config (cluster/temporal.yaml and
 * cluster/dynamic-config.yaml) on PostgreSQL, all four services in one process. Prepares the
 * databases first, then registers the namespace with the Temporal CLI and Rescind's search attributes,
 * and resolves once a workflow start that carries those attributes would be accepted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { registerSearchAttributes as registerRescindSearchAttributes } from '../client/library/namespace-setup.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { prepareClusterDatabases, postgresEndpoint, type ClusterDatabases } from './cluster-databases.js';
import { freePort } from './dev-server.js';
import { TEMPORAL_BIN, temporalCliInstalled } from './install-temporal-cli.mjs';
import { TEMPORAL_SERVER_BIN, temporalServerInstalled } from './install-temporal-server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ClusterPorts {
  frontend: number;
  http: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** `npm run cluster`'s ports: clear of the dev server's 7233/8233. */
export const DEFAULT_CLUSTER_PORTS: ClusterPorts = {
  frontend: 7243,
  http: 7244,
  frontendMembership: 6243,
  history: 7245,
  historyMembership: 6245,
  matching: 7246,
  matchingMembership: 6246,
  worker: 7247,
  workerMembership: 6247,
};

/**
 * Free ports for a second cluster (tests). Membership ports are stored in a PostgreSQL smallint
 * column (cluster_membership.rpc_port), so they must stay below 32768, out of Linux's ephemeral range.
 */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const ports = {} as ClusterPorts;
  for (const key of Object.keys(DEFAULT_CLUSTER_PORTS) as (keyof ClusterPorts)[]) {
    ports[key] = key.endsWith('Membership') ? await freePortBelow(32_768) : await freePort();
  }
  return ports;
}

async function freePortBelow(limit: number): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * (limit - 20_000));
    if (await portIsFree(candidate)) return candidate;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

export interface ClusterOptions {
  databases: ClusterDatabases;
  ports?: ClusterPorts;
  namespace?: string;
  /** Server log destination; defaults to this process's stdout/stderr. */
  logFile?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Progress lines (databases, registration). */
  log?: (line: string) => void;
}

export interface Cluster {
  address: string;
  namespace: string;
  ports: ClusterPorts;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!temporalServerInstalled()) {
    throw new Error(
      `Temporal server not found at ${TEMPORAL_SERVER_BIN}: run \`npm run temporal:install-server\` (needs Go).`,
    );
  }
  if (!temporalCliInstalled())
    throw new Error(`Temporal CLI not found at ${TEMPORAL_BIN}: run \`npm run temporal:install\` (needs Go).`);
  const log = options.log ?? (() => undefined);
  const ports = options.ports ?? DEFAULT_CLUSTER_PORTS;
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${ports.frontend}`;

  await prepareClusterDatabases(options.databases, log);
  const child = spawnServer(options, ports);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    log(`waiting for the frontend at ${address}`);
    await untilServing(address, exited);
    await registerNamespace(address, namespace, log);
    await registerSearchAttributes(address, namespace, log);
    await untilSearchAttributesUsable(address, namespace, exited);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, namespace, ports, process: child, stop };
}

function spawnServer(options: ClusterOptions, ports: ClusterPorts): ChildProcess {
  const pgEndpoint = postgresEndpoint(options.databases.adminUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RESCIND_CLUSTER_LOG_LEVEL: options.logLevel ?? 'warn',
    RESCIND_CLUSTER_DB: options.databases.main,
    RESCIND_CLUSTER_VISIBILITY_DB: options.databases.visibility,
    RESCIND_CLUSTER_PG_ADDRESS: pgEndpoint.address,
    RESCIND_CLUSTER_PG_USER: pgEndpoint.user,
    RESCIND_CLUSTER_PG_PASSWORD: pgEndpoint.password,
    RESCIND_CLUSTER_DYNAMIC_CONFIG: join(ROOT, 'cluster', 'dynamic-config.yaml'),
    RESCIND_CLUSTER_FRONTEND_PORT: String(ports.frontend),
    RESCIND_CLUSTER_HTTP_PORT: String(ports.http),
    RESCIND_CLUSTER_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    RESCIND_CLUSTER_HISTORY_PORT: String(ports.history),
    RESCIND_CLUSTER_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    RESCIND_CLUSTER_MATCHING_PORT: String(ports.matching),
    RESCIND_CLUSTER_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    RESCIND_CLUSTER_WORKER_PORT: String(ports.worker),
    RESCIND_CLUSTER_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
  };
  let output: number | 'inherit' = 'inherit';
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    output = openSync(options.logFile, 'a');
  }
  const services = ['frontend', 'history', 'matching', 'worker'].flatMap((s) => ['--service', s]);
  // No authorizer: the cluster listens on 127.0.0.1 only (see cluster/temporal.yaml).
  const args = ['--root', ROOT, '--config', 'cluster', '--env', 'temporal', '--allow-no-auth', 'start', ...services];
  return spawn(TEMPORAL_SERVER_BIN, args, { cwd: ROOT, env, stdio: ['ignore', output, output] });
}

/** Poll the frontend until it answers, failing fast if the server process dies. */
async function untilServing(address: string, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`the Temporal server exited during start (code ${exitCode}); see its log`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`the Temporal server at ${address} did not answer within 120 s: ${(err as Error).message}`);
      await pause(250);
    }
  }
}

async function registerNamespace(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  if (
    (await temporalCli(['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address])).code ===
    0
  )
    return;
  log(`registering namespace ${namespace}`);
  const created = await temporalCli([
    'operator',
    'namespace',
    'create',
    '--namespace',
    namespace,
    '--retention',
    '72h',
    '--address',
    address,
  ]);
  if (created.code !== 0) throw new Error(`temporal operator namespace create ${namespace} failed:\n${created.output}`);
}

/** Rescind's search attributes, as `rescind setup` registers them, once the frontend knows the namespace (a new one takes a cache refresh). */
async function registerSearchAttributes(
  address: string,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        const added = await registerRescindSearchAttributes(client);
        if (added.length > 0) log(`registered search attributes ${added.join(', ')}`);
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`namespace ${namespace} still unknown to the frontend after 60 s: ${(err as Error).message}`);
        await pause(250);
      }
    }
  } finally {
    await connection.close();
  }
}

/**
 * New search attributes reach each service through its namespace cache, refreshed every few seconds:
 * until the frontend's copy knows them, a list query naming them is refused. Wait for it to pass.
 */
async function untilSearchAttributesUsable(
  address: string,
  namespace: string,
  exited: Promise<number | null>,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const query = SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'probe'`).join(' AND ');
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (exitCode !== undefined)
        throw new Error(`the Temporal server exited during start (code ${exitCode}); see its log`);
      try {
        await connection.workflowService.countWorkflowExecutions({ namespace, query });
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`search attributes still unusable after 60 s: ${(err as Error).message}`);
        await pause(250);
      }
    }
  } finally {
    await connection.close();
  }
}

function temporalCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(TEMPORAL_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
