/**
 * The months a QFPay lookup by out_trade_no searches (docs/providers/qfpay.md §4.2): whole Hong Kong calendar
 * months, each within one month as QFPay requires, from the order's createdAt to now, with an hour of clock
 * slack at either end.
 */
import { monthsToSearch, QFPAY_MAX_MONTHS } from '../../../../activities/providers/qfpay/months.js';

const at = (iso: string): Date => new Date(iso);
const starts = (createdAt: string, now: string): string[] =>
  monthsToSearch(at(createdAt), at(now)).map((m) => m.start_time.slice(0, 7));

describe('monthsToSearch', () => {
  it('created on the 30th, looked up on the 1st: both months, each a whole month', () => {
    expect(monthsToSearch(at('2026-11-30T12:00:00+08:00'), at('2026-12-01T10:00:00+08:00'))).toEqual([
      { start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' },
      { start_time: '2026-12-01 00:00:00', end_time: '2026-12-31 23:59:59' },
    ]);
  });

  it('the same month: one range', () => {
    const months = monthsToSearch(at('2026-12-02T09:00:00+08:00'), at('2026-12-02T09:05:00+08:00'));
    expect(months).toEqual([{ start_time: '2026-12-01 00:00:00', end_time: '2026-12-31 23:59:59' }]);
  });

  it('months are Hong Kong months: 16:30 UTC on 31 January is already 1 February there', () => {
    expect(starts('2026-01-31T18:00:00Z', '2026-02-10T00:00:00Z')).toEqual(['2026-02']);
    // Within the hour of slack after the month began: January is searched too.
    expect(starts('2026-01-31T16:30:00Z', '2026-02-10T00:00:00Z')).toEqual(['2026-01', '2026-02']);
  });

  it('now within the hour before a month ends also searches the next month (QFPay may already be in it)', () => {
    expect(starts('2026-03-10T00:00:00Z', '2026-03-31T15:30:00Z')).toEqual(['2026-03', '2026-04']);
    expect(starts('2026-03-10T00:00:00Z', '2026-03-31T14:30:00Z')).toEqual(['2026-03']);
  });

  it('across a year end and a leap February', () => {
    expect(starts('2027-12-15T00:00:00Z', '2028-03-01T04:00:00Z')).toEqual([
      '2027-12',
      '2028-01',
      '2028-02',
      '2028-03',
    ]);
    const [february] = monthsToSearch(at('2028-02-15T00:00:00Z'), at('2028-02-20T00:00:00Z'));
    expect(february).toEqual({ start_time: '2028-02-01 00:00:00', end_time: '2028-02-29 23:59:59' });
  });

  it('every range stays within one calendar month', () => {
    for (const m of monthsToSearch(at('2025-01-15T00:00:00Z'), at('2026-12-02T00:00:00Z'))) {
      expect(m.end_time.slice(0, 7)).toBe(m.start_time.slice(0, 7));
      expect(m.start_time.slice(8)).toBe('01 00:00:00');
    }
  });

  it('a createdAt in the future counts as now', () => {
    expect(starts('2027-05-01T00:00:00Z', '2026-12-02T00:00:00Z')).toEqual(['2026-12']);
  });

  it('two years back is the limit; an older createdAt comes back one month over it, for the caller to refuse', () => {
    expect(monthsToSearch(at('2024-12-15T00:00:00Z'), at('2026-12-02T00:00:00Z'))).toHaveLength(QFPAY_MAX_MONTHS);
    expect(monthsToSearch(at('1970-01-01T00:00:00Z'), at('2026-12-02T00:00:00Z'))).toHaveLength(QFPAY_MAX_MONTHS + 1);
  });
});
