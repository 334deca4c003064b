/**
 * The calendar months a QFPay lookup must search (docs/providers/qfpay.md §4.2). Without a syssn the
 * transaction enquiry sees only the current calendar month unless start_time/end_time name another, and one
 * range may not span two months; it filters on sysdtm, in merchant local time (Hong Kong, UTC+8, no daylight
 * saving). So an order is looked up one whole month at a time, from the month it was created in to this one.
 */
const HONG_KONG_OFFSET_MS = 8 * 3_600_000;

/** Clock difference tolerated between our createdAt/now and QFPay's sysdtm: this close to a month edge, both months. */
export const QFPAY_CLOCK_SLACK_MS = 3_600_000;

/** At most this many months (two years and the current one); an older createdAt is refused rather than searched. */
export const QFPAY_MAX_MONTHS = 25;

/** One query range: a whole calendar month, as QFPay writes times. */
export interface QfpayMonth {
  start_time: string;
  end_time: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Year and month (1-12) of a moment in Hong Kong. */
function hongKongMonth(date: Date): { year: number; month: number } {
  const local = new Date(date.getTime() + HONG_KONG_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

function range(year: number, month: number): QfpayMonth {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const ym = `${year}-${pad(month)}`;
  return { start_time: `${ym}-01 00:00:00`, end_time: `${ym}-${pad(lastDay)} 23:59:59` };
}

/**
 * The months from the one `createdAt` falls in (less the slack) to the current one (plus the slack), oldest
 * first. A createdAt in the future counts as now: nothing QFPay holds can be younger than the query. Longer
 * spans than QFPAY_MAX_MONTHS come back with one month more than that limit, for the caller to refuse.
 */
export function monthsToSearch(createdAt: Date, now: Date): QfpayMonth[] {
  const from = hongKongMonth(new Date(Math.min(createdAt.getTime(), now.getTime()) - QFPAY_CLOCK_SLACK_MS));
  const to = hongKongMonth(new Date(now.getTime() + QFPAY_CLOCK_SLACK_MS));
  const months: QfpayMonth[] = [];
  let { year, month } = from;
  // One past the limit is enough for the caller to see the span is too long.
  while ((year < to.year || (year === to.year && month <= to.month)) && months.length <= QFPAY_MAX_MONTHS) {
    months.push(range(year, month));
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months;
}
