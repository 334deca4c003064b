/** Reconciliation settings: where stuck orders are read from and how old they must be. */
import { z } from 'zod';
import { readVariables, text, type Env } from '../../platform/env.js';
import { isPostgresUrl } from './source.js';

export const RECONCILE_ENV = {
  // A file path (the embedded default) or a postgres:// URL.
  RESCIND_ORDER_SOURCE: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be file:<path> or a postgres:// URL')
    .default('file:.data/orders.json'),
  RESCIND_ORDER_SOURCE_QUERY: text.optional(),
  // With a custom query: the statement that writes an outcome back ($1 provider, $2 merchant id,
  // $3 order id, $4 status, $5 outcome as JSON text). Default: update rescind_orders.
  RESCIND_ORDER_SOURCE_UPDATE: text.optional(),
  RESCIND_RECONCILE_MIN_AGE: text.default('15m'),
};

export interface ReconcileSettings {
  orderSource: string;
  query?: string;
  update?: string;
  minAge: string;
}

export function readReconcileSettings(env: Env, problems: string[]): ReconcileSettings {
  const v = readVariables(RECONCILE_ENV, env, problems);
  if ((v.RESCIND_ORDER_SOURCE_QUERY || v.RESCIND_ORDER_SOURCE_UPDATE) && !isPostgresUrl(v.RESCIND_ORDER_SOURCE)) {
    problems.push(
      'RESCIND_ORDER_SOURCE_QUERY / RESCIND_ORDER_SOURCE_UPDATE: they need a postgres:// RESCIND_ORDER_SOURCE',
    );
  }
  return {
    orderSource: v.RESCIND_ORDER_SOURCE,
    query: v.RESCIND_ORDER_SOURCE_QUERY,
    update: v.RESCIND_ORDER_SOURCE_UPDATE,
    minAge: v.RESCIND_RECONCILE_MIN_AGE,
  };
}
