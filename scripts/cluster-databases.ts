/**
 * The local cluster's two PostgreSQL databases (history and visibility), created and brought to the
 * server's schema with its own tool (temporal-sql-tool from the same module build): create-database
 * when missing, setup-schema (the versioning table) when new, then update-schema, which applies only
 * the versions a database lacks. Safe to run on every start.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { TEMPORAL_SQL_TOOL } from './install-temporal-server.mjs';

export const DEFAULT_CLUSTER_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ClusterDatabases {
  /** Any database on the server, used to create the others (trust auth or a password in the URL). */
  adminUrl: string;
  main: string;
  visibility: string;
}

/** Where the server connects: host:port, user, password, as the config file wants them. */
export function postgresEndpoint(adminUrl: string): {
  address: string;
  host: string;
  port: string;
  user: string;
  password: string;
} {
  const url = new URL(adminUrl);
  const port = url.port || '5432';
  return {
    address: `${url.hostname}:${port}`,
    host: url.hostname,
    port,
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

/** The embedded schema folders of the server module, by database role. */
const SCHEMA = { main: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;

export async function prepareClusterDatabases(
  dbs: ClusterDatabases,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  for (const role of ['main', 'visibility'] as const) {
    const name = dbs[role];
    if (!(await databaseExists(dbs.adminUrl, name))) {
      log(`creating database ${name}`);
      await sqlTool(dbs.adminUrl, name, ['create-database']);
    }
    if (!(await hasSchemaVersioning(dbs.adminUrl, name))) {
      log(`setting up schema versioning in ${name}`);
      await sqlTool(dbs.adminUrl, name, ['setup-schema', '-v', '0.0']);
    }
    log(`updating ${name} to the latest ${SCHEMA[role]} schema`);
    await sqlTool(dbs.adminUrl, name, ['update-schema', '--schema-name', SCHEMA[role]]);
  }
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(
    adminUrl,
    async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

async function hasSchemaVersioning(adminUrl: string, name: string): Promise<boolean> {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return withClient(
    url.toString(),
    async (client) => (await client.query("SELECT to_regclass('public.schema_version') AS t")).rows[0]?.t != null,
  );
}

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Run temporal-sql-tool against one database; the password travels in SQL_PASSWORD, never on the command line. */
function sqlTool(adminUrl: string, database: string, command: string[]): Promise<void> {
  const pgEndpoint = postgresEndpoint(adminUrl);
  const args = [
    '--plugin',
    'postgres12',
    '--ep',
    pgEndpoint.host,
    '-p',
    pgEndpoint.port,
    '-u',
    pgEndpoint.user,
    '--db',
    database,
    ...command,
  ];
  return new Promise((done, fail) => {
    const child = spawn(TEMPORAL_SQL_TOOL, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SQL_PASSWORD: pgEndpoint.password },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) return done();
      fail(new Error(`temporal-sql-tool ${command.join(' ')} on ${database} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}
