/**
 * The production-shaped Temporal cluster for tests: the server built from its Go module on
 * PostgreSQL (scripts/cluster-server.ts), on free ports, with two throwaway databases this helper
 * creates and drops; plus `rescind worker` processes pointed at it, which a test may kill -9.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { freeClusterPorts, startCluster, type Cluster } from '../../scripts/cluster-server.js';

const ADMIN_URL = process.env.RESCIND_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BIN = resolve('bin/rescind.js');

export interface TestCluster {
  cluster: Cluster;
  address: string;
  client: Client;
  /** Where the server writes its log (kept when a test fails, for reading). */
  logFile: string;
  stop(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const suffix = randomBytes(5).toString('hex');
  const databases = {
    adminUrl: ADMIN_URL,
    main: `rescind_test_temporal_${suffix}`,
    visibility: `rescind_test_temporal_vis_${suffix}`,
  };
  const dir = mkdtempSync(join(tmpdir(), 'rescind-cluster-'));
  const logFile = join(dir, 'server.log');
  let cluster: Cluster;
  try {
    cluster = await startCluster({ databases, ports: await freeClusterPorts(), logFile, logLevel: 'warn' });
  } catch (err) {
    await dropDatabases([databases.main, databases.visibility]);
    throw new Error(`${(err as Error).message}\n(server log: ${logFile})`);
  }
  const connection = await Connection.connect({ address: cluster.address });
  return {
    cluster,
    address: cluster.address,
    client: new Client({ connection, namespace: cluster.namespace }),
    logFile,
    stop: async () => {
      await connection.close();
      await cluster.stop();
      await dropDatabases([databases.main, databases.visibility]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function dropDatabases(names: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  /** The Temporal worker identity the SDK reports for this process (`<pid>@<host>`) starts with this. */
  identityPrefix: string;
  output(): string;
  /** SIGINT and wait (a clean stop). */
  stop(): Promise<void>;
  /** SIGKILL: the process dies with whatever it was doing. */
  kill(): Promise<void>;
}

/** Run `rescind worker` as a separate process, resolving once it says it is polling. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    let output = '';
    let ready = false;
    const onData = (d: Buffer): void => {
      output += d;
      if (ready || !/\[rescind\] worker on /.test(output)) return;
      ready = true;
      done({
        child,
        identityPrefix: `${child.pid}@`,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          await exited;
        },
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      if (!ready) fail(new Error(`rescind worker exited before it was ready:\n${output}`));
    });
  });
}
