/**
 * `npm start`: the whole local stack in one process tree — Temporal dev server (with UI, data
 * kept in .data/temporal), the provider sandbox, the Rescind workers and the HTTP API — then a
 * demo batch of cancellations. Ctrl-C stops everything cleanly; the next start keeps the data.
 *
 *   npm start                 stack + demo
 *   npm start -- --no-demo    stack only
 */
import { resolve } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { createRuntimeLogger } from '../worker/logger.js';
import { startApiServer } from '../client/api/server.js';
import { ensureKeys } from '../sandbox/credentials.js';
import { startSandbox } from '../sandbox/server.js';
import { loadConfig } from '../worker/config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { createWorkers } from '../worker/worker.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { runDemo } from './demo.js';
import { localEnv } from './local-env.js';

// Temporal's SQLite file, the sandbox keys and logs: kept across restarts.
const DATA = resolve(process.env.RESCIND_DATA_DIR ?? '.data');

async function main(): Promise<void> {
  const withDemo = !process.argv.includes('--no-demo');
  console.log('[rescind] starting the local stack (Temporal dev server, sandbox, workers, API)');
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(`[rescind] while stopping: ${(err as Error).message}`));
  };
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[rescind] ${signal}: stopping API, workers, sandbox and Temporal...`);
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // 1. Temporal: the local dev server, unless the user points at a cluster of their own.
    let dev: DevServer | undefined;
    if (!process.env.TEMPORAL_ADDRESS) {
      const port = Number(process.env.RESCIND_TEMPORAL_PORT ?? 7233);
      const uiPort = Number(process.env.RESCIND_TEMPORAL_UI_PORT ?? 8233);
      console.log(`[rescind] starting the Temporal dev server on 127.0.0.1:${port} (data in ${resolve(DATA, 'temporal')})`);
      dev = await startDevServer({ port, uiPort, dbFile: resolve(DATA, 'temporal', 'dev.sqlite'), logFile: resolve(DATA, 'temporal', 'server.log') });
      stops.push(() => dev!.stop());
      process.env.TEMPORAL_ADDRESS = dev.address;
    }

    // 2. The provider sandbox, sending payment notifications to our API's receivers.
    const apiPort = Number(process.env.RESCIND_API_PORT ?? 4000);
    const keyDir = ensureKeys(resolve(DATA, 'keys'));
    const sandbox = await startSandbox({
      host: process.env.RESCIND_SANDBOX_HOST ?? '127.0.0.1',
      port: Number(process.env.RESCIND_SANDBOX_PORT ?? 4100),
      keyDir,
      notifyUrl: process.env.RESCIND_SANDBOX_NOTIFY_URL ?? `http://127.0.0.1:${apiPort}/notify/{provider}`,
    });
    stops.push(() => sandbox.close());

    // 3. Workers and API, configured like production but pointed at the sandbox.
    const config = loadConfig(localEnv(process.env, sandbox.url, keyDir));
    Runtime.install({ logger: createRuntimeLogger('WARN') });
    const connection = await connectWorker(config.temporal);
    const client = await connectClient(config.temporal);
    // Closed after the workers stop: reconciliation activities use it until then.
    stops.push(() => client.connection.close());
    const workers = await createWorkers(config, { connection, client });
    const running = workers.run();
    stops.push(async () => {
      workers.shutdown();
      await running;
      await connection.close();
    });
    const api = await startApiServer({ config, client });
    stops.push(() => api.close());

    console.log(
      [
        '',
        'Rescind is running:',
        `  Temporal UI        ${dev?.uiUrl ?? '(your cluster)'}${dev ? `/namespaces/${config.temporal.namespace}/workflows` : ''}`,
        `  Temporal gRPC      ${config.temporal.address} (namespace ${config.temporal.namespace})`,
        `  HTTP API           ${api.url}  (OpenAPI: ${api.url}/openapi.json)`,
        `  Sandbox            ${sandbox.url}  (admin: ${sandbox.url}/_admin/orders, ledger: ${sandbox.url}/_admin/ledger)`,
        `  Worker             task queue ${config.taskQueue}; providers ${workers.providers.join(', ')}`,
        '  Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );

    if (withDemo) await runDemo({ client, config, sandboxUrl: sandbox.url, uiUrl: dev?.uiUrl });
    await running;
  } catch (err) {
    console.error(`[rescind] ${(err as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

void main();
