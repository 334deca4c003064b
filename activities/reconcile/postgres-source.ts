/**
 * The PostgreSQL order source. By default it reads and updates the documented table
 * (POSTGRES_SCHEMA). For the merchant's own tables, RESCIND_ORDER_SOURCE_QUERY replaces the
 * candidate query ($1 = cutoff timestamp, $2 = limit; it must return the table's column names; it
 * is read as one batch) and RESCIND_ORDER_SOURCE_UPDATE the write-back ($1 provider, $2 merchant
 * id, $3 order id, $4 status, $5 outcome as JSON text).
 */
import pg from 'pg';
import type { OrderRef } from '../../domain/index.js';
import { OPEN_STATUSES, type CandidateOrder, type Cursor, type OrderSource } from './source.js';

export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS rescind_orders (
  provider          text        NOT NULL CHECK (provider IN ('payjs', 'qfpay', 'wechatpay', 'pingpp')),
  merchant_id       text        NOT NULL,
  order_id          text        NOT NULL,
  provider_order_id text,
  amount            bigint      CHECK (amount > 0),
  currency          text,
  pay_type          text,
  created_at        timestamptz NOT NULL,
  status            text        NOT NULL DEFAULT 'pending',
  outcome           jsonb,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, merchant_id, order_id)
);
CREATE INDEX IF NOT EXISTS rescind_orders_open ON rescind_orders (created_at) WHERE status IN ('pending', 'cancelling', 'needs_review');
`;

interface Row {
  provider: OrderRef['provider'];
  merchant_id: string;
  order_id: string;
  provider_order_id: string | null;
  amount: string | number | null;
  currency: string | null;
  pay_type: string | null;
  created_at: Date;
}

export class PostgresOrderSource implements OrderSource {
  private readonly pool: pg.Pool;

  private readonly customQuery?: string;
  private readonly customUpdate?: string;

  constructor(connectionString: string, custom: { query?: string; update?: string } = {}) {
    this.customQuery = custom.query;
    this.customUpdate = custom.update;
    this.pool = new pg.Pool({ connectionString, max: 4, connectionTimeoutMillis: 5_000 });
  }

  async listCandidates({
    cutoff,
    limit,
    after,
  }: {
    cutoff: Date;
    limit: number;
    after?: Cursor;
  }): Promise<CandidateOrder[]> {
    if (this.customQuery) {
      if (after) return []; // a custom query is one batch
      return (await this.pool.query<Row>(this.customQuery, [cutoff, limit])).rows.map(toOrder);
    }
    const [provider, merchant, order] = after ? after.key.split('|') : ['', '', ''];
    // The cursor's time comes back from JavaScript in milliseconds while PostgreSQL keeps
    // microseconds: compare at millisecond precision, or a page's last row would be read again.
    const { rows } = await this.pool.query<Row>(
      `SELECT provider, merchant_id, order_id, provider_order_id, amount, currency, pay_type, created_at
         FROM rescind_orders
        WHERE status = ANY($1) AND created_at < $2
          AND (date_trunc('milliseconds', created_at), provider, merchant_id, order_id) > ($3::timestamptz, $4, $5, $6)
        ORDER BY date_trunc('milliseconds', created_at), provider, merchant_id, order_id
        LIMIT $7`,
      [OPEN_STATUSES, cutoff, after?.createdAt ?? '-infinity', provider, merchant, order, limit],
    );
    return rows.map(toOrder);
  }

  async recordOutcome(order: OrderRef, status: string, outcome: unknown): Promise<void> {
    const update =
      this.customUpdate ??
      'UPDATE rescind_orders SET status = $4, outcome = $5, updated_at = now() WHERE provider = $1 AND merchant_id = $2 AND order_id = $3';
    await this.pool.query(update, [
      order.provider,
      order.merchantId,
      order.orderId,
      status,
      outcome === undefined ? null : JSON.stringify(outcome),
    ]);
  }

  /** Create the documented table and its index when they are missing (`rescind init-db`). */
  async ensureSchema(): Promise<void> {
    await this.pool.query(POSTGRES_SCHEMA);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function toOrder(r: Row): CandidateOrder {
  return {
    provider: r.provider,
    merchantId: r.merchant_id,
    orderId: r.order_id,
    providerOrderId: r.provider_order_id ?? undefined,
    amount: r.amount === null ? undefined : Number(r.amount),
    currency: r.currency ?? undefined,
    payType: r.pay_type ?? undefined,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
