/**
 * `npm run cluster`: the production-shaped local Temporal cluster in the foreground — the server
 * built from its Go module (once), on the machine's PostgreSQL, with Rescind's namespace and search
 * attributes registered. Ctrl-C stops it; the databases keep their data for the next start.
 *
 *   RESCIND_CLUSTER_PG_URL    PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/postgres)
 *   RESCIND_CLUSTER_DB, RESCIND_CLUSTER_VISIBILITY_DB    database names (default rescind_temporal, rescind_temporal_visibility)
 *   RESCIND_CLUSTER_PORT      frontend gRPC port (default 7243; the other services use the next ports, see DEFAULT_CLUSTER_PORTS)
 */
import { maskCredentials } from '../platform/env.js';
import { DEFAULT_CLUSTER_PG_URL } from './cluster-databases.js';
import { DEFAULT_CLUSTER_PORTS, startCluster, type Cluster, type ClusterPorts } from './cluster-server.js';
import { installTemporalCli } from './install-temporal-cli.mjs';
import { installTemporalServer } from './install-temporal-server.mjs';

const say = (line: string): void => console.log(`[rescind] ${line}`);

/** Shift every default port by the same offset when the frontend port is moved. */
function portsFor(frontend: number): ClusterPorts {
  const offset = frontend - DEFAULT_CLUSTER_PORTS.frontend;
  return Object.fromEntries(
    Object.entries(DEFAULT_CLUSTER_PORTS).map(([k, v]) => [k, v + offset]),
  ) as unknown as ClusterPorts;
}

async function main(): Promise<void> {
  installTemporalCli();
  await installTemporalServer();
  const adminUrl = process.env.RESCIND_CLUSTER_PG_URL ?? DEFAULT_CLUSTER_PG_URL;
  const databases = {
    adminUrl,
    main: process.env.RESCIND_CLUSTER_DB ?? 'rescind_temporal',
    visibility: process.env.RESCIND_CLUSTER_VISIBILITY_DB ?? 'rescind_temporal_visibility',
  };
  const ports = portsFor(Number(process.env.RESCIND_CLUSTER_PORT ?? DEFAULT_CLUSTER_PORTS.frontend));
  say(`starting the Temporal server (frontend, history, matching, worker) on PostgreSQL ${maskCredentials(adminUrl)}`);
  // Set once started: a signal that arrives during the start stops the server as soon as it is up.
  const running: { cluster?: Cluster } = {};
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the Temporal server...`);
    if (running.cluster) void running.cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const cluster = (running.cluster = await startCluster({ databases, ports, log: say }));
  if (stopping) {
    await cluster.stop();
    process.exit(0);
  }
  console.log(
    [
      '',
      'Temporal cluster is running:',
      `  Temporal gRPC      ${cluster.address} (namespace ${cluster.namespace})`,
      `  Databases          ${databases.main}, ${databases.visibility}`,
      `  Point Rescind at it: TEMPORAL_ADDRESS=${cluster.address} npx rescind worker   (as many as you like)`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  cluster.process.once('exit', (code) => {
    if (stopping) return;
    say(`the Temporal server exited (code ${code})`);
    process.exit(1);
  });
}

main().catch((err) => {
  console.error(`[rescind] ${(err as Error).message}`);
  process.exit(1);
});
