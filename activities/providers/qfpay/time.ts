/**
 * QFPay date-times: `YYYY-MM-DD hh:mm:ss`, merchant local time (docs/providers/qfpay.md §1). The HK endpoint is
 * Asia/Hong_Kong, UTC+8 without daylight saving, so a fixed offset is exact.
 */
const HONG_KONG_OFFSET_MS = 8 * 3_600_000;

/** A moment as QFPay writes it, in Hong Kong time. */
export function qfpayTime(date: Date): string {
  return new Date(date.getTime() + HONG_KONG_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}

/** A QFPay time as ISO-8601 with its +08:00 offset; empty or malformed values are left out. */
export function qfpayTimeToIso(value: string | null | undefined): string | undefined {
  const m = value?.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/);
  return m ? `${m[1]}T${m[2]}+08:00` : undefined;
}
