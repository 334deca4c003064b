/**
 * The local stack the benchmarks measure: a headless dev server, the sandbox, and Rescind's real
 * workers and client, all in this process, torn down in reverse order by `stop()`.
 */
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { ensureKeys } from '../sandbox/credentials.js';
import { sandboxWorkerEnv } from '../sandbox/worker-env.js';
import { startSandbox } from '../sandbox/server.js';
import { loadConfig, type Config } from '../worker/config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { createRuntimeLogger } from '../worker/logger.js';
import { createWorkers } from '../worker/worker.js';
import { startDevServer } from './dev-server.js';

export interface BenchStack {
  config: Config;
  client: Client;
  sandboxUrl: string;
  /** Call the sandbox admin API; returns its JSON. */
  admin(method: string, path: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

export async function startBenchStack(env: Record<string, string>): Promise<BenchStack> {
  const dev = await startDevServer({ headless: true });
  const keyDir = ensureKeys(resolve('.data', 'keys'));
  const sandbox = await startSandbox({ keyDir, port: 0 });
  const config = loadConfig({ ...sandboxWorkerEnv(sandbox.url, keyDir), TEMPORAL_ADDRESS: dev.address, ...env });
  Runtime.install({ logger: createRuntimeLogger('ERROR') });
  const connection = await connectWorker(config.temporal);
  const client = await connectClient(config.temporal);
  const workers = await createWorkers(config, { connection, client });
  const running = workers.run();
  return {
    config,
    client,
    sandboxUrl: sandbox.url,
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
      await sandbox.close();
      await dev.stop();
    },
  };
}
