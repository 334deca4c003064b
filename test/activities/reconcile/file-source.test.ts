/** The embedded default order source: a JSON file read in keyset order and written back atomically. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileOrderSource } from '../../../activities/reconcile/file-source.js';
import { createOrderSource } from '../../../activities/reconcile/index.js';
import { PostgresOrderSource } from '../../../activities/reconcile/postgres-source.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rescind-orders-'));
  path = join(dir, 'orders.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const order = (orderId: string, createdAt: string, status = 'pending') => ({
  provider: 'qfpay' as const,
  merchantId: 'M1',
  orderId,
  amount: 100,
  payType: '800201',
  createdAt,
  status,
});

describe('FileOrderSource', () => {
  it('reads nothing from a missing file', async () => {
    expect(await new FileOrderSource(path).listCandidates({ cutoff: new Date(), limit: 10 })).toEqual([]);
  });

  it('lists open orders older than the cutoff, oldest first, in pages', async () => {
    const t1 = minutesAgo(60);
    const t2 = minutesAgo(50);
    writeFileSync(
      path,
      JSON.stringify({
        orders: [
          order('B', t2),
          order('A', t1),
          order('C', t1),
          order('young', minutesAgo(1)),
          order('done', t1, 'closed_unpaid'),
          order('review', t2, 'needs_review'),
        ],
      }),
    );
    const source = new FileOrderSource(path);
    const cutoff = new Date(Date.now() - 15 * 60_000);
    const first = await source.listCandidates({ cutoff, limit: 2 });
    expect(first.map((o) => o.orderId)).toEqual(['A', 'C']);
    expect(first[0]).toEqual({
      provider: 'qfpay',
      merchantId: 'M1',
      orderId: 'A',
      amount: 100,
      payType: '800201',
      createdAt: t1,
    });
    const second = await source.listCandidates({ cutoff, limit: 2, after: { createdAt: t1, key: 'qfpay|M1|C' } });
    expect(second.map((o) => o.orderId)).toEqual(['B', 'review']);
    expect(await source.listCandidates({ cutoff, limit: 2, after: { createdAt: t2, key: 'qfpay|M1|review' } })).toEqual(
      [],
    );
  });

  it('writes an outcome back to the matching row only, leaving no temporary file', async () => {
    writeFileSync(path, JSON.stringify({ orders: [order('A', minutesAgo(60)), order('B', minutesAgo(60))] }));
    const source = new FileOrderSource(path);
    await source.recordOutcome({ provider: 'qfpay', merchantId: 'M1', orderId: 'A' }, 'closed_unpaid', {
      kind: 'closed_unpaid',
    });
    const rows = JSON.parse(readFileSync(path, 'utf8')).orders;
    expect(rows[0]).toMatchObject({
      orderId: 'A',
      status: 'closed_unpaid',
      outcome: { kind: 'closed_unpaid' },
      updatedAt: expect.any(String),
    });
    expect(rows[1]).toEqual(order('B', rows[1].createdAt));
    expect(readdirSync(dir)).toEqual(['orders.json']);
  });
});

describe('createOrderSource', () => {
  it('chooses the source from RESCIND_ORDER_SOURCE', async () => {
    expect(createOrderSource(`file:${path}`)).toBeInstanceOf(FileOrderSource);
    const pgSource = createOrderSource('postgres://postgres@127.0.0.1:5432/postgres');
    expect(pgSource).toBeInstanceOf(PostgresOrderSource);
    await pgSource.close();
    expect(() => createOrderSource('mysql://x')).toThrow(
      /RESCIND_ORDER_SOURCE must be file:<path> or a postgres:\/\/ URL/,
    );
  });
});
