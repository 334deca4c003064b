/**
 * `npm start`: the whole local stack in one process tree — Temporal dev server (with UI, data
 * kept in .data/temporal), the provider sandbox, the Rescind workers and the HTTP API — then a
 * demo batch of cancellations. Ctrl-C stops everything cleanly; the next start keeps the data.
 *
 *   npm start                 stack + demo
 *   npm start -- --no-demo    stack only
 *   npm start -- --encrypt    payloads encrypted (a local key kept in .data/keys unless
 *                             RESCIND_PAYLOAD_KEYS is set), the UI decrypting through a codec server
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CodecServer, loadCodecServerSettings, startCodecServer } from '../platform/codec-server.js';
import { createRuntimeLogger } from '../worker/logger.js';
import { loadMetricsAddress } from '../platform/metrics/address.js';
import { installWorkerRuntime } from '../worker/metrics-runtime.js';
import { startApiServer } from '../client/api/server.js';
import { ensureKeys } from '../sandbox/credentials.js';
import { startSandbox } from '../sandbox/server.js';
import { loadConfig } from '../worker/config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { startTracing } from '../platform/tracing.js';
import { createWorkers } from '../worker/worker.js';
import { bundleWorkflowsInChild } from '../worker/bundle.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { runDemo } from './demo.js';
import { localEnv } from './local-env.js';

// Temporal's SQLite file, the sandbox keys and logs: kept across restarts.
const DATA = resolve(process.env.RESCIND_DATA_DIR ?? '.data');

/** `--encrypt` without RESCIND_PAYLOAD_KEYS: one local key, kept so the next start still reads earlier runs. */
function localPayloadKeys(dir: string): string {
  const file = resolve(dir, 'payload-keys');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const keys = `local-1:${randomBytes(32).toString('base64')}`;
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}

/**
 * A config file with no profiles: the stack's own dev server must not pick up the user's default
 * Temporal profile (an API key or TLS meant for their cluster).
 */
function noProfiles(dir: string): string {
  const file = resolve(dir, 'no-profiles.toml');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, '# npm start runs its own Temporal dev server: no profile applies to it.\n');
  return file;
}

async function main(): Promise<void> {
  const withDemo = !process.argv.includes('--no-demo');
  if (process.argv.includes('--encrypt') && !process.env.RESCIND_PAYLOAD_KEYS) {
    process.env.RESCIND_PAYLOAD_KEYS = localPayloadKeys(resolve(DATA, 'keys'));
  }
  console.log('[rescind] starting the local stack (Temporal dev server, sandbox, workers, API)');
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse())
      await stop().catch((err) => console.error(`[rescind] while stopping: ${(err as Error).message}`));
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
    // With OTEL_EXPORTER_OTLP_ENDPOINT set, the API and workers below trace as one service; flushed last.
    const tracing = startTracing('rescind');
    if (tracing) stops.push(() => tracing.shutdown().catch(() => undefined));
    // 1. Temporal: the local dev server, unless the user points at a cluster of their own (an
    //    address, a profile or a config file). With encryption on, its UI decrypts through the codec server.
    const ownCluster = ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'].some((n) => process.env[n]);
    const uiPort = Number(process.env.RESCIND_TEMPORAL_UI_PORT ?? 8233);
    let codec: CodecServer | undefined;
    if (process.env.RESCIND_PAYLOAD_KEYS) {
      const devUi = `http://127.0.0.1:${uiPort},http://localhost:${uiPort}`;
      const origins = process.env.RESCIND_CODEC_CORS_ORIGIN || (ownCluster ? undefined : devUi);
      const settings = loadCodecServerSettings({ ...process.env, RESCIND_CODEC_CORS_ORIGIN: origins });
      codec = await startCodecServer(settings);
      stops.push(() => codec!.close());
    }
    let dev: DevServer | undefined;
    if (!ownCluster) {
      const port = Number(process.env.RESCIND_TEMPORAL_PORT ?? 7233);
      console.log(
        `[rescind] starting the Temporal dev server on 127.0.0.1:${port} (data in ${resolve(DATA, 'temporal')})`,
      );
      dev = await startDevServer({
        port,
        uiPort,
        dbFile: resolve(DATA, 'temporal', 'dev.sqlite'),
        logFile: resolve(DATA, 'temporal', 'server.log'),
        uiCodecEndpoint: codec?.url,
      });
      stops.push(() => dev!.stop());
      process.env.TEMPORAL_ADDRESS = dev.address;
      process.env.TEMPORAL_CONFIG_FILE = noProfiles(resolve(DATA, 'temporal'));
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
    // With RESCIND_METRICS_ADDRESS, the Temporal SDK's worker metrics and Rescind's are served there.
    const metrics = await installWorkerRuntime({ logger: createRuntimeLogger('WARN') }, loadMetricsAddress());
    if (metrics) stops.push(() => metrics.close());
    const connection = await connectWorker(config.temporal);
    const client = await connectClient(config.temporal);
    // Closed after the workers stop: reconciliation activities use it until then.
    stops.push(() => client.connection.close());
    const workers = await createWorkers(config, { connection, client, bundleWorkflows: bundleWorkflowsInChild });
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
        `  Metrics            ${api.url}/metrics${metrics ? `, and with the Temporal SDK's ${metrics.url}` : " (RESCIND_METRICS_ADDRESS=127.0.0.1:9464 adds the Temporal SDK's)"}`,
        codec
          ? `  Payloads           encrypted; the UI decrypts them through the codec server ${codec.url}`
          : '  Payloads           plain JSON (to encrypt them: npm start -- --encrypt)',
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
