/**
 * RESCIND_RATE_LIMIT_DATABASE_URL: the PostgreSQL database worker processes share their providers'
 * send slots through. Unset: no limiter, only the Temporal server's dispatch limit per provider queue.
 */
import { z } from 'zod';
import { readVariables, type Env } from '../../../platform/env.js';

export const SEND_LIMIT_ENV = {
  RESCIND_RATE_LIMIT_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// URL, or unset for the Temporal server limit only')
    .optional(),
};

export interface SendLimitSettings {
  databaseUrl?: string;
}

export function readSendLimitSettings(env: Env, problems: string[]): SendLimitSettings {
  const values = readVariables(SEND_LIMIT_ENV, env, problems);
  return { databaseUrl: values.RESCIND_RATE_LIMIT_DATABASE_URL };
}
