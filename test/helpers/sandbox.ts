/** Starts the real sandbox on a free port with the fixture keys, and loads a config pointing at it. */
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../../worker/config.js';
import { sandboxWorkerEnv } from '../../sandbox/worker-env.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';

export const FIXTURE_KEYS = resolve('test/fixtures/keys');

export interface TestSandbox {
  sandbox: Sandbox;
  config: Config;
  env: Record<string, string>;
  /** POST/GET to the admin API, returning parsed JSON. */
  admin<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startTestSandbox(
  options: { notifyUrl?: string; notifyRetryDelaysMs?: number[] } = {},
): Promise<TestSandbox> {
  const sandbox = await startSandbox({ keyDir: FIXTURE_KEYS, port: 0, ...options });
  const env = sandboxWorkerEnv(sandbox.url, FIXTURE_KEYS);
  const config = loadConfig(env);
  return {
    sandbox,
    config,
    env,
    admin: async (method, path, body) => {
      const res = await fetch(`${sandbox.url}/_admin${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: HTTP ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    close: () => sandbox.close(),
  };
}
