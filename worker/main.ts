/**
 * `rescind worker` / `node worker/main.ts`: run the Rescind workers against the configured
 * Temporal cluster until SIGINT or SIGTERM.
 */
import { Runtime } from '@temporalio/worker';
import { loadConfig } from './config.js';
import { connectClient, connectWorker } from '../platform/temporal.js';
import { createRuntimeLogger } from './logger.js';
import { createWorkers } from './worker.js';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: createRuntimeLogger('INFO'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await connectWorker(config.temporal);
  const client = await connectClient(config.temporal);
  try {
    const workers = await createWorkers(config, { connection, client });
    console.log(
      `[rescind] worker on ${config.temporal.address} namespace ${config.temporal.namespace}, task queue ${config.taskQueue}; providers: ${workers.providers.join(', ') || 'none configured'}`,
    );
    await workers.run();
  } finally {
    await client.connection.close();
    await connection.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorker().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
