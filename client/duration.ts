/** Durations as people write them: "90s", "15m", "2h", "1d" (or plain milliseconds). */
import { RequestError } from './request.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The reconciliation's minimum age: the --min-age option, else RESCIND_RECONCILE_MIN_AGE from the configuration. */
export function minAgeMs(option: string | undefined, configured: string): number {
  return option === undefined ? parseDuration(configured, 'RESCIND_RECONCILE_MIN_AGE') : parseDuration(option, 'min-age');
}

export function parseDuration(value: string, field: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new RequestError([{ field, message: `"${value}" is not a duration like 90s, 15m, 2h or 1d` }]);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
}
