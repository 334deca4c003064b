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
    expect(first[0]).toEqual({ provider: 'qfpay', merchantId: 'M1', orderId: 'A', providerOrderId: 'P-A', amount: 1250, currency: 'CNY', payType: '800201', createdAt: expect.any(String) });
    const last = first[1]!;
    const second = await source.listCandidates({ cutoff, limit: 2, after: { createdAt: last.createdAt, key: 'qfpay|M1|C' } });
    expect(second.map((o) => `${o.provider}:${o.orderId}`)).toEqual(['payjs:B']);
  });

  it('writes the outcome back to the row, which then leaves the candidates', async () => {
    await source.recordOutcome({ provider: 'qfpay', merchantId: 'M1', orderId: 'A' }, 'closed_unpaid', { kind: 'closed_unpaid', providerCode: 'SUCCESS' });
    const { rows } = await db.pool.query(`SELECT status, outcome FROM rescind_orders WHERE order_id = 'A'`);
    expect(rows).toEqual([{ status: 'closed_unpaid', outcome: { kind: 'closed_unpaid', providerCode: 'SUCCESS' } }]);
    const ids = (await source.listCandidates({ cutoff: minutesAgo(15), limit: 10 })).map((o) => o.orderId);
    expect(ids).toEqual(['C', 'B']);
  });

  it('reads candidates with a custom query ($1 cutoff, $2 limit) as one batch', async () => {
    const custom = new PostgresOrderSource(db.url, `SELECT * FROM rescind_orders WHERE provider = 'payjs' AND created_at < $1 LIMIT $2`);
    try {
      expect((await custom.listCandidates({ cutoff: minutesAgo(15), limit: 10 })).map((o) => o.orderId)).toEqual(['B']);
      expect(await custom.listCandidates({ cutoff: minutesAgo(15), limit: 10, after: { createdAt: new Date().toISOString(), key: 'payjs|M1|B' } })).toEqual([]);
    } finally {
      await custom.close();
    }
  });

  it('the table refuses rows that cannot be cancelled', async () => {
    await expect(insert('bad', minutesAgo(60), 'pending', 'paypal')).rejects.toThrow(/rescind_orders_provider_check/);
  });
});
