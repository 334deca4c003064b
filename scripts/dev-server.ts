/**
 * Starts the Temporal dev server (`temporal server start-dev`) from the project-local CLI build:
 * chosen ports, a persistent SQLite file, the UI on, the project's search attributes registered.
 * Resolves once the server answers, so callers can connect straight away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { TEMPORAL_BIN, temporalCliInstalled } from './install-temporal-cli.mjs';
import { dynamicConfigArgs, PRIORITY_DYNAMIC_CONFIG } from './task-queue-priority.js';

export interface DevServerOptions {
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** UI port; 0 picks a free one. */
  uiPort?: number;
  /** SQLite file that keeps history across restarts; omit for in-memory. */
  dbFile?: string;
  /** No UI (tests). */
  headless?: boolean;
  namespace?: string;
  /** Where the server's own log goes; defaults to discarding it. */
  logFile?: string;
  /** A codec server the UI decodes payloads through (`--ui-codec-endpoint`), when payloads are encrypted. */
  uiCodecEndpoint?: string;
  /**
   * Dynamic config on top of PRIORITY_DYNAMIC_CONFIG (task-queue priority and fairness on), e.g.
   * `{ 'matching.useNewMatcher': false, 'matching.enableFairness': false }` for the server's defaults.
   */
  dynamicConfig?: Record<string, unknown>;
}

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  if (!temporalCliInstalled()) {
    throw new Error(`Temporal CLI not found at ${TEMPORAL_BIN}: run \`npm run temporal:install\` (needs Go).`);
  }
  const port = options.port || (await freePort());
  const uiPort = options.headless ? undefined : options.uiPort || (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  if (uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${key.type}`);
  args.push(...dynamicConfigArgs({ ...PRIORITY_DYNAMIC_CONFIG, ...options.dynamicConfig }));

  let logFd: number | 'ignore' = 'ignore';
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    logFd = openSync(options.logFile, 'a');
  }
  const child = spawn(TEMPORAL_BIN, args, { stdio: ['ignore', logFd, logFd] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;

  await waitUntilServing(address, namespace, exited);
  return {
    address,
    namespace,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntilServing(address: string, namespace: string, exited: Promise<number | null>): Promise<void> {
  let stoppedWith: number | null | undefined;
  void exited.then((code) => (stoppedWith = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (stoppedWith !== undefined)
      throw new Error(`temporal server start-dev exited early (code ${stoppedWith}); is port ${address} free?`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Temporal dev server at ${address} did not answer within 60 s: ${(err as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
