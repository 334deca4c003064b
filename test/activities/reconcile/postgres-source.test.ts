/** The PostgreSQL order source on the machine's server: the documented table, keyset pages, write-back, a custom query. */
import { PostgresOrderSource } from '../../../activities/reconcile/postgres-source.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const setup = new PostgresOrderSource(db.url);
  await setup.ensureSchema();
  await setup.close();
});
afterAll(async () => {
  await db?.drop();
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function insert(orderId: string, createdAt: Date, status = 'pending', provider = 'qfpay'): Promise<void> {
  await db.pool.query(
    `INSERT INTO rescind_orders (provider, merchant_id, order_id, provider_order_id, amount, currency, pay_type, created_at, status)
     VALUES ($1, 'M1', $2, $3, 1250, 'CNY', '800201', $4, $5)`,
    [provider, orderId, `P-${orderId}`, createdAt, status],
  );
}

describe('PostgresOrderSource', () => {
  let source: PostgresOrderSource;
  beforeAll(async () => {
    source = new PostgresOrderSource(db.url);
    await source.ensureSchema(); // a second time: IF NOT EXISTS keeps it idempotent
    const t1 = minutesAgo(60);
    await insert('A', t1);
    await insert('C', t1);
    await insert('B', minutesAgo(50), 'cancelling', 'payjs');
    await insert('young', minutesAgo(1));
    await insert('done', t1, 'refunded');
  });
  afterAll(async () => {
    await source?.close();
  });

  it('lists open orders older than the cutoff, oldest first, in keyset pages', async () => {
    const cutoff = minutesAgo(15);
    const first = await source.listCandidates({ cutoff, limit: 2 });
    expect(first.map((o) => o.orderId)).toEqual(['A', 'C']);
    expect(first[0]).toEqual({
      provider: 'qfpay',
      merchantId: 'M1',
      orderId: 'A',
      providerOrderId: 'P-A',
      amount: 1250,
      currency: 'CNY',
      payType: '800201',
      createdAt: expect.any(String),
    });
    const last = first[1]!;
    const second = await source.listCandidates({
      cutoff,
      limit: 2,
      after: { createdAt: last.createdAt, key: 'qfpay|M1|C' },
    });
    expect(second.map((o) => `${o.provider}:${o.orderId}`)).toEqual(['payjs:B']);
  });

  it('writes the outcome back to the row, which then leaves the candidates', async () => {
    await source.recordOutcome({ provider: 'qfpay', merchantId: 'M1', orderId: 'A' }, 'closed_unpaid', {
      kind: 'closed_unpaid',
      providerCode: 'SUCCESS',
    });
    const { rows } = await db.pool.query(`SELECT status, outcome FROM rescind_orders WHERE order_id = 'A'`);
    expect(rows).toEqual([{ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid', providerCode: 'SUCCESS' } }]);
    const ids = (await source.listCandidates({ cutoff: minutesAgo(15), limit: 10 })).map((o) => o.orderId);
    expect(ids).toEqual(['C', 'B']);
  });

  it('reads candidates with a custom query ($1 cutoff, $2 limit) as one batch', async () => {
    const custom = new PostgresOrderSource(db.url, {
      query: `SELECT * FROM rescind_orders WHERE provider = 'payjs' AND created_at < $1 LIMIT $2`,
    });
    try {
      expect((await custom.listCandidates({ cutoff: minutesAgo(15), limit: 10 })).map((o) => o.orderId)).toEqual(['B']);
      expect(
        await custom.listCandidates({
          cutoff: minutesAgo(15),
          limit: 10,
          after: { createdAt: new Date().toISOString(), key: 'payjs|M1|B' },
        }),
      ).toEqual([]);
    } finally {
      await custom.close();
    }
  });

  it('pages one row at a time through microsecond timestamps, each row exactly once', async () => {
    await db.pool.query(`DELETE FROM rescind_orders`);
    // now() carries microseconds; three rows share one millisecond.
    await db.pool.query(
      `INSERT INTO rescind_orders (provider, merchant_id, order_id, created_at) SELECT 'qfpay', 'M2', 'U' || n, now() - interval '1 hour' - (n % 2) * interval '1 second' + n * interval '1 microsecond' FROM generate_series(1, 6) n`,
    );
    const seen: string[] = [];
    let after: { createdAt: string; key: string } | undefined;
    for (let page = 0; page < 20; page++) {
      const [row] = await source.listCandidates({ cutoff: minutesAgo(15), limit: 1, after });
      if (!row) break;
      seen.push(row.orderId);
      after = { createdAt: row.createdAt, key: `qfpay|M2|${row.orderId}` };
    }
    expect(seen.sort()).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
  });

  it("reads from and writes back to the merchant's own table with a custom query and update", async () => {
    await db.pool.query(
      `CREATE TABLE shop_orders (no text PRIMARY KEY, gateway text, mch text, total_fen int, channel text, placed_at timestamptz, state text, cancel_result jsonb)`,
    );
    await db.pool.query(
      `INSERT INTO shop_orders VALUES ('S1', 'wechatpay', '1900000109', 800, 'NATIVE', $1, 'awaiting_payment', NULL), ('S2', 'wechatpay', '1900000109', 900, 'NATIVE', $1, 'paid', NULL)`,
      [minutesAgo(90)],
    );
    const custom = new PostgresOrderSource(db.url, {
      query: `SELECT gateway AS provider, mch AS merchant_id, no AS order_id, NULL AS provider_order_id, total_fen AS amount, 'CNY' AS currency, channel AS pay_type, placed_at AS created_at
                FROM shop_orders WHERE state = 'awaiting_payment' AND placed_at < $1 LIMIT $2`,
      update: `UPDATE shop_orders SET state = 'cancel:' || $4, cancel_result = $5::jsonb WHERE gateway = $1 AND mch = $2 AND no = $3`,
    });
    try {
      const [candidate, ...rest] = await custom.listCandidates({ cutoff: minutesAgo(15), limit: 10 });
      expect(rest).toEqual([]);
      expect(candidate).toEqual({
        provider: 'wechatpay',
        merchantId: '1900000109',
        orderId: 'S1',
        providerOrderId: undefined,
        amount: 800,
        currency: 'CNY',
        payType: 'NATIVE',
        createdAt: expect.any(String),
      });
      await custom.recordOutcome(candidate!, 'closed_unpaid', { kind: 'closed_unpaid', via: 'close' });
      const { rows } = await db.pool.query(`SELECT no, state, cancel_result FROM shop_orders ORDER BY no`);
      expect(rows).toEqual([
        { no: 'S1', state: 'cancel:closed_unpaid', cancel_result: { kind: 'closed_unpaid', via: 'close' } },
        { no: 'S2', state: 'paid', cancel_result: null },
      ]);
      // The documented table was not touched.
      expect(
        (await db.pool.query(`SELECT count(*)::int AS n FROM rescind_orders WHERE order_id = 'S1'`)).rows[0].n,
      ).toBe(0);
    } finally {
      await custom.close();
    }
  });

  it('the table refuses rows that cannot be cancelled', async () => {
    await expect(insert('bad', minutesAgo(60), 'pending', 'paypal')).rejects.toThrow(/rescind_orders_provider_check/);
  });
});
