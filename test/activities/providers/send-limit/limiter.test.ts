/**
 * The send limiter against a real PostgreSQL (a throwaway database per file): slots reserved from
 * two separate pools, standing in for two worker processes, are spaced 1/rate apart on the
 * database's clock; a slot beyond the horizon is refused without being spent; a cancelled wait
 * sends nothing; a database that cannot be reached sends nothing and names the variable.
 */
import { jest } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'got';
import { send } from '../../../../activities/providers/http.js';
import { ProviderError } from '../../../../activities/errors.js';
import { installSendLimiter } from '../../../../activities/providers/send-limit/installed.js';
import { createSendLimiter, type SendLimiter } from '../../../../activities/providers/send-limit/limiter.js';
import { openSendLimiter } from '../../../../activities/providers/send-limit/open.js';
import { SLOT_TABLE, SendSlots, spacingMicros } from '../../../../activities/providers/send-limit/slots.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { windowFigures } from '../../../cluster/arrivals.js';

let db: TestDatabase;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await db.drop();
});

/** A pool of its own, as a separate worker process would have. */
function newPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pools.push(pool);
  return pool;
}

const limiterFor = (key: string, ratePerSecond: number, horizonMs: number, pool = newPool()): SendLimiter =>
  createSendLimiter(new SendSlots(pool), { qfpay: { key, ratePerSecond } }, { horizonMs });

async function nextAt(key: string): Promise<string> {
  const { rows } = await db.pool.query<{ next_at: string }>(
    `SELECT next_at::text AS next_at FROM ${SLOT_TABLE} WHERE key = $1`,
    [key],
  );
  return rows[0]!.next_at;
}

const answered = { statusCode: 200, headers: {} } as Response<unknown>;

/**
 * Slots are exact on the database's clock (checked above), but a request leaves after its slot by
 * however long its timer and the event loop take to get to it; on two loaded cores that can be half
 * a second, and a late request lands in the next window beside those on time. So, as in
 * test/cluster/workers.test.ts (SEND_JITTER_SECONDS), a W-second window of departures holds at most
 * the slots of W + 0.5 seconds: rate x (W + 0.5), +1 at the edge; at 4/s, 7 in one second and 11 in
 * two. Measured at load average 8: 5 and 9.
 */
const SEND_JITTER_SECONDS = 0.5;
const mostLeavingInWindow = (rate: number, seconds: number): number =>
  Math.floor(rate * (seconds + SEND_JITTER_SECONDS)) + 1;

describe('send slots shared through PostgreSQL', () => {
  it('spaces concurrent reservations from two pools 1/rate apart, so no 1-second window holds more than the rate (+1 at its edge)', async () => {
    // One slot per 5 s: a reservation that reaches the database late (new connections on two loaded
    // cores) still finds the row booked ahead of the clock. At 4/s the second had 250 ms to arrive.
    const rate = 0.2;
    // Both pools start on a database without the table: each creates it on first use.
    const [one, two] = [new SendSlots(newPool()), new SendSlots(newPool())];
    const reservations = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).reserve('qfpay:spacing', rate, 120_000)),
    );
    const slots = reservations.map((r) => (r.reserved ? r.slotAtUs : NaN)).sort((a, b) => a - b);
    expect(slots.every(Number.isFinite)).toBe(true);
    const gaps = slots.slice(1).map((slot, i) => slot - slots[i]!);
    // Exactly one spacing apart: every reservation booked right after the one before, none skipped or shared.
    expect(gaps).toEqual(gaps.map(() => spacingMicros(rate)));
    // No window of four spacings holds more than four slots (at 4/s, the 1-second window).
    const slotTimesMs = slots.map((us) => us / 1000);
    expect(windowFigures(slotTimesMs, (4 * spacingMicros(rate)) / 1000).maxInWindow).toBeLessThanOrEqual(4);

    // Through the limiter, the waits end at those slots: where the requests would leave.
    const leavingRate = 4;
    const left: number[] = [];
    const [a, b] = [limiterFor('qfpay:leaving', leavingRate, 5_000), limiterFor('qfpay:leaving', leavingRate, 5_000)];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).take('qfpay', 'query').then(() => left.push(performance.now())),
      ),
    );
    left.sort((x, y) => x - y);
    const windows = [1, 2].map((seconds) => ({ seconds, ...windowFigures(left, seconds * 1000) }));
    console.log(
      `[send-limit] 12 requests at ${leavingRate}/s from two pools left over ${windows[0]!.spanSeconds.toFixed(2)} s, busiest ${windows.map((w) => `${w.seconds}-second window ${w.maxInWindow}`).join(', ')}`,
    );
    for (const w of windows) expect(w.maxInWindow).toBeLessThanOrEqual(mostLeavingInWindow(leavingRate, w.seconds));
  });

  it('refuses a slot beyond the horizon as rate limited, and spends nothing', async () => {
    const slots = new SendSlots(newPool());
    // One per 10 s with an 11 s horizon: now and in 10 s are booked, the next would be in 20 s, past
    // the horizon until 9 s from now. At 1/s with 1.5 s, the calls below had 0.5 s, a new connection included.
    const [rate, horizonMs] = [0.1, 11_000];
    expect(await slots.reserve('qfpay:horizon', rate, horizonMs)).toMatchObject({ reserved: true });
    expect(await slots.reserve('qfpay:horizon', rate, horizonMs)).toMatchObject({ reserved: true });
    const booked = await nextAt('qfpay:horizon');

    const refused = await slots.reserve('qfpay:horizon', rate, horizonMs);
    expect(refused).toMatchObject({ reserved: false, busyMs: expect.any(Number) });
    expect(refused.reserved === false && refused.busyMs).toBeGreaterThan(horizonMs);
    const error = await limiterFor('qfpay:horizon', rate, horizonMs)
      .take('qfpay', 'refund')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'rate_limited', retryable: true, details: { call: 'refund' } });
    expect((error as ProviderError).details.retryAfterMs).toBeGreaterThan(horizonMs);
    expect(await nextAt('qfpay:horizon')).toBe(booked);
  });

  it('keeps separate budgets for separate accounts', async () => {
    const slots = new SendSlots(newPool());
    // One per 10 s: A's second slot stays 10 s ahead however slowly these calls run (at 1/s, 0.5 s of margin).
    await slots.reserve('payjs:MCH-A', 0.1, 15_000);
    const a = await slots.reserve('payjs:MCH-A', 0.1, 15_000);
    const b = await slots.reserve('payjs:MCH-B', 0.1, 15_000);
    expect(a).toMatchObject({ reserved: true });
    expect(b).toMatchObject({ reserved: true });
    expect(a.reserved && b.reserved && a.slotAtUs - b.slotAtUs).toBeGreaterThan(500_000);
  });

  it('sends nothing when the wait for a slot is cancelled', async () => {
    // The second slot 10 s away, so the 50 ms cancel comes first on any machine (at 1/s: within the second).
    const uninstall = installSendLimiter(limiterFor('qfpay:abort', 0.1, 15_000));
    try {
      const request = jest.fn(async () => answered);
      await send('qfpay', 'query', request);
      const cancel = new AbortController();
      const waiting = send('qfpay', 'query', request, cancel.signal).catch((e: unknown) => e);
      setTimeout(() => cancel.abort(), 50);
      expect(await waiting).toMatchObject({
        type: 'transient',
        message: expect.stringMatching(/cancelled while waiting/),
      });
      // The second request's slot was 10 s away: cancelled before it, it never left.
      expect(request).toHaveBeenCalledTimes(1);
    } finally {
      uninstall();
    }
  });

  it('sends nothing when the database cannot be reached: transient, naming the variable, no password', async () => {
    const config = {
      appCode: 'APP1',
      clientKey: 'k',
      signType: 'SHA256',
      answerSignedOver: 'raw_body',
      answerSignType: 'MD5',
      baseUrl: 'http://127.0.0.1:1',
      maxRps: 6,
    } as const;
    const limiter = openSendLimiter('postgres://rescind:hunter2@127.0.0.1:1/slots', { qfpay: config });
    const uninstall = installSendLimiter(limiter);
    try {
      const request = jest.fn(async () => answered);
      const error = await send('qfpay', 'refund', request).catch((e: unknown) => e);
      expect(error).toMatchObject({ type: 'transient', retryable: true });
      expect((error as Error).message).toMatch(/RESCIND_RATE_LIMIT_DATABASE_URL/);
      expect((error as Error).message).not.toMatch(/hunter2/);
      expect(request).not.toHaveBeenCalled();
    } finally {
      uninstall();
      await limiter.close();
    }
  });
});
