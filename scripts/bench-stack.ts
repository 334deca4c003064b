/**
 * The local stack the benchmarks measure: a headless dev server, the sandbox in its own process
 * (`rescind sandbox`, so the providers' signing and HTTP do not share this process's CPU), and
 * Rescind's real workers and client in this process, torn down in reverse order by `stop()`.
 */
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { Runtime, type NativeConnection } from '@temporalio/worker';
import { ensureKeys } from '../sandbox/credentials.js';
import { sandboxWorkerEnv } from '../sandbox/worker-env.js';
import { loadConfig, type Config } from '../worker/config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { createRuntimeLogger } from '../worker/logger.js';
import { createWorkers } from '../worker/worker.js';
import { startDevServer } from './dev-server.js';
import { startSandboxProcess } from './bench/sandbox-process.js';

export interface BenchStack {
  config: Config;
  client: Client;
  /** The workers' connection, for more workers on the same server (the bare workflow's). */
  connection: NativeConnection;
  sandboxUrl: string;
  /** The sandbox's and the dev server's processes, for their CPU time. */
  pids: { sandbox: number; server: number };
  /** Call the sandbox admin API; returns its JSON. */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Dev-server dynamic config on top of the priority settings (scripts/dev-server.ts). */
  dynamicConfig?: Record<string, unknown>;
}

export async function startBenchStack(
  env: Record<string, string>,
  options: BenchStackOptions = {},
): Promise<BenchStack> {
  const dev = await startDevServer({ headless: true, dynamicConfig: options.dynamicConfig });
  const keyDir = ensureKeys(resolve('.data', 'keys'));
  const sandbox = await startSandboxProcess(keyDir);
  const config = loadConfig({ ...sandboxWorkerEnv(sandbox.url, keyDir), TEMPORAL_ADDRESS: dev.address, ...env });
  Runtime.install({ logger: createRuntimeLogger('ERROR') });
  const connection = await connectWorker(config.temporal);
  const client = await connectClient(config.temporal);
  const workers = await createWorkers(config, { connection, client });
  const running = workers.run();
  return {
    config,
    client,
    connection,
    sandboxUrl: sandbox.url,
    pids: { sandbox: sandbox.process.child.pid!, server: dev.process.pid! },
    admin: async (method, path, body) => {
      const res = await fetch(`${sandbox.url}/_admin${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    },
    stop: async () => {
      workers.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      await sandbox.stop();
      await dev.stop();
    },
  };
}
