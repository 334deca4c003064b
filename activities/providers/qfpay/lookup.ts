/**
 * A /trade/v1/query lookup that reaches every month the transaction can be in (docs/providers/qfpay.md §4.2).
 *
 * By syssn: one query, no range; QFPay finds a syssn in any month and ignores start_time/end_time next to it.
 * By out_trade_no: one query per calendar month from the order's createdAt to now, each naming its month, since
 * without a range QFPay searches only the current month and a range may not span two. Without createdAt only
 * the current month can be searched, and the lookup says so: finding nothing there proves nothing.
 */
import { requestRejected } from '../../errors.js';
import type { QfpayClient } from './client.js';
import { readQuery, type QueryRead } from './mapper.js';
import { monthsToSearch, QFPAY_MAX_MONTHS } from './months.js';
import type { QfpayRow } from './wire.js';

export type QfpayLookupKey = { syssn: string } | { out_trade_no: string };

/** The rows found, and whether every month the transaction could be in was searched. */
export type QfpayLookup = { ok: true; rows: QfpayRow[]; everyMonth: boolean } | Extract<QueryRead, { ok: false }>;

export async function lookUp(
  client: QfpayClient,
  call: string,
  key: QfpayLookupKey,
  createdAt: Date | undefined,
  signal?: AbortSignal,
  now: Date = new Date(),
): Promise<QfpayLookup> {
  if ('syssn' in key || !createdAt) {
    const read = readQuery(call, await client.send(call, { endpoint: 'query', params: key }, signal));
    return read.ok ? { ...read, everyMonth: 'syssn' in key } : read;
  }
  const months = monthsToSearch(createdAt, now);
  if (months.length > QFPAY_MAX_MONTHS) {
    const back = `OrderRef.createdAt ${createdAt.toISOString()} is more than ${QFPAY_MAX_MONTHS - 1} months back`;
    throw requestRejected('qfpay', call, `${back}: QFPay is searched month by month, so this order needs a person`);
  }
  const rows: QfpayRow[] = [];
  for (const month of months) {
    // Any month that cannot be read leaves the whole answer unknown: the transaction may be in it.
    const read = readQuery(call, await client.send(call, { endpoint: 'query', params: { ...key, ...month } }, signal));
    if (!read.ok) return read;
    rows.push(...read.rows);
  }
  return { ok: true, rows: latestOfEach(rows), everyMonth: true };
}

/**
 * Each transaction once. A server that ignored the range would answer the same rows for every month; the last
 * answer is the freshest.
 */
function latestOfEach(rows: QfpayRow[]): QfpayRow[] {
  const byTransaction = new Map<string, QfpayRow>();
  for (const row of rows) {
    byTransaction.set(row.syssn === undefined ? JSON.stringify(row) : `${row.order_type ?? ''}|${row.syssn}`, row);
  }
  return [...byTransaction.values()];
}
