/** A send limiter on its own small pool of PostgreSQL connections, for the configured providers. */
import pg from 'pg';
import type { ProvidersConfig } from '../index.js';
import { maskCredentials } from '../../../platform/env.js';
import { sendLimitsOf } from './keys.js';
import { createSendLimiter, type SendLimiter } from './limiter.js';
import { SendSlots } from './slots.js';

export function openSendLimiter(databaseUrl: string, providers: ProvidersConfig): SendLimiter {
  // Short timeouts: a request waits for its slot, and an unreachable database must fail the attempt, not hang it.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    connectionTimeoutMillis: 3_000,
    query_timeout: 3_000,
    application_name: 'rescind send limiter',
  });
  // An idle connection the server drops must not end the process; the next reservation reconnects.
  pool.on('error', (err) => console.warn(`[rescind] send limiter database: ${maskCredentials(err.message)}`));
  return createSendLimiter(new SendSlots(pool), sendLimitsOf(providers), { close: () => pool.end() });
}
