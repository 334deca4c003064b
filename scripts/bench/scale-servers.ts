/**
 * The two Temporal servers `npm run bench:scale` compares: the dev server (one process, SQLite in
 * memory) and the production-shaped cluster (scripts/cluster-server.ts) on PostgreSQL, in
 * databases made for the run and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_CLUSTER_PG_URL } from '../cluster-databases.js';
import { freeClusterPorts, startCluster } from '../cluster-server.js';
import { startDevServer } from '../dev-server.js';
import { installTemporalServer } from '../install-temporal-server.mjs';

export type TargetName = 'dev server' | 'cluster';

export interface Target {
  name: TargetName;
  address: string;
  /** The server process, whose memory is reported. */
  pid: number;
  /** Extra facts about the server's storage, e.g. the PostgreSQL database sizes. */
  storage(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTarget(name: TargetName): Promise<Target> {
  if (name === 'dev server') {
    const dev = await startDevServer({ headless: true });
    return {
      name,
      address: dev.address,
      pid: dev.process.pid!,
      storage: async () => 'SQLite in memory',
      stop: () => dev.stop(),
    };
  }
  await installTemporalServer();
  const adminUrl = process.env.RESCIND_CLUSTER_PG_URL ?? DEFAULT_CLUSTER_PG_URL;
  const suffix = randomBytes(4).toString('hex');
  const databases = { adminUrl, main: `rescind_bench_${suffix}`, visibility: `rescind_bench_vis_${suffix}` };
  const names = [databases.main, databases.visibility];
  const cluster = await startCluster({
    databases,
    ports: await freeClusterPorts(),
    logLevel: 'error',
    logFile: '/dev/null',
  });
  return {
    name,
    address: cluster.address,
    pid: cluster.process.pid!,
    storage: async () => {
      const sizes = await withAdmin(adminUrl, (admin) =>
        admin.query<{ size: string }>(
          'SELECT pg_size_pretty(SUM(pg_database_size(datname))) AS size FROM pg_database WHERE datname = ANY($1)',
          [names],
        ),
      );
      return `PostgreSQL ${sizes.rows[0]?.size ?? '?'}`;
    },
    stop: async () => {
      await cluster.stop();
      await withAdmin(adminUrl, async (admin) => {
        for (const db of names) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      });
    },
  };
}

async function withAdmin<T>(url: string, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
