/**
 * A throwaway PostgreSQL database per test file on the machine's server (127.0.0.1:5432 by
 * default; RESCIND_TEST_PG_ADMIN_URL overrides), created at start and dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.RESCIND_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** How long drop() waits for the database's sessions to close before FORCE ends the rest. */
const SESSIONS_GONE_MS = 5_000;

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rescind_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const again = new pg.Client({ connectionString: ADMIN_URL });
      await again.connect();
      try {
        // A pool's end() resolves before its sessions are gone. FORCE would cut one still closing,
        // and its client reports that as an unhandled error in whichever test file owns it.
        await sessionsGone(again, name, SESSIONS_GONE_MS);
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/** Wait until no session is connected to `database`, or `withinMs` has passed. */
async function sessionsGone(admin: pg.Client, database: string, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
