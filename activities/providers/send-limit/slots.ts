/**
 * Send slots in PostgreSQL: one row per limit key holding the next free send time, on the
 * database's clock so worker clocks do not matter. Reserving is one atomic statement: the slot is
 * the later of that time and now, and the row moves on by 1/rate; nothing is reserved when the slot
 * would lie beyond the horizon (docs/architecture.md, "Rate limits and secrets").
 */
import type pg from 'pg';

export const SLOT_TABLE = 'rescind_send_slots';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${SLOT_TABLE} (key text PRIMARY KEY, next_at timestamptz NOT NULL)`;

// $1 key, $2 spacing in microseconds, $3 horizon in microseconds. The outer SELECT reads the row as
// it was before this statement (same snapshot), which says how far ahead it is when nothing was reserved.
const RESERVE = `
WITH reserved AS (
  INSERT INTO ${SLOT_TABLE} AS s (key, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 microsecond')
  ON CONFLICT (key) DO UPDATE SET next_at = GREATEST(s.next_at, clock_timestamp()) + $2 * interval '1 microsecond'
    WHERE s.next_at <= clock_timestamp() + $3 * interval '1 microsecond'
  RETURNING s.next_at - $2 * interval '1 microsecond' AS slot_at
)
SELECT (extract(epoch FROM r.slot_at) * 1000000)::bigint AS slot_at_us,
       (extract(epoch FROM r.slot_at - clock_timestamp()) * 1000)::float8 AS wait_ms,
       (extract(epoch FROM (SELECT next_at FROM ${SLOT_TABLE} WHERE key = $1) - clock_timestamp()) * 1000)::float8 AS busy_ms
  FROM (SELECT 1) AS one LEFT JOIN reserved AS r ON true`;

export type Reservation =
  /** A slot: send at slotAtUs (database clock, microseconds since the epoch), waitMs from now. */
  | { reserved: true; slotAtUs: number; waitMs: number }
  /** No slot within the horizon: the key's sends are booked busyMs ahead. */
  | { reserved: false; busyMs: number };

/** The slot spacing for `ratePerSecond`, rounded up to whole microseconds so it never exceeds the rate. */
export const spacingMicros = (ratePerSecond: number): number => Math.ceil(1_000_000 / ratePerSecond);

export class SendSlots {
  private table?: Promise<void>;

  constructor(private readonly pool: pg.Pool) {}

  /** Reserve the next send slot for `key` at `ratePerSecond`, unless it lies more than `horizonMs` ahead. */
  async reserve(key: string, ratePerSecond: number, horizonMs: number): Promise<Reservation> {
    await this.ensureTable();
    const { rows } = await this.pool.query<{
      slot_at_us: string | null;
      wait_ms: number | null;
      busy_ms: number | null;
    }>(RESERVE, [key, spacingMicros(ratePerSecond), Math.round(horizonMs * 1000)]);
    const row = rows[0]!;
    if (row.slot_at_us !== null) return { reserved: true, slotAtUs: Number(row.slot_at_us), waitMs: row.wait_ms ?? 0 };
    return { reserved: false, busyMs: Math.max(0, row.busy_ms ?? 0) };
  }

  /** Create the table on first use. Two processes creating it at once may collide: the loser finds it made. */
  private ensureTable(): Promise<void> {
    this.table ??= this.pool.query(CREATE_TABLE).then(
      () => undefined,
      (err: { code?: string }) => {
        // 23505 / 42P07: another session created it between our check and our insert into the catalog.
        if (err.code === '23505' || err.code === '42P07') return;
        this.table = undefined;
        throw err;
      },
    );
    return this.table;
  }
}
