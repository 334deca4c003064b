/**
 * Numbers and durations as people write them on a command line or in a variable: whole numbers in
 * decimal digits only (never 1e3, 0x10 or 10.5, which Number() would quietly accept), durations as
 * "90s", "15m", "2h", "1d" (or plain milliseconds). Every option and variable goes through these.
 */
import { RequestError } from './request.js';

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Inclusive bounds; durations in milliseconds. */
export interface Range {
  min: number;
  max: number;
}

/** The ranges the reconciliation options accept (the CLI and the schedule share them). */
export const RECONCILE_RANGES = {
  minAge: { min: 60_000, max: 365 * UNITS.d! },
  every: { min: 60_000, max: 30 * UNITS.d! },
  wait: { min: 0, max: UNITS.h! },
  batchSize: { min: 1, max: 1000 },
  concurrency: { min: 1, max: 100 },
} satisfies Record<string, Range>;

const refuse = (field: string, message: string): never => {
  throw new RequestError([{ field, message }]);
};

/** "1000" → 1000 (an optional minus sign, then decimal digits); anything else names `field`. */
export function parseWholeNumber(value: string, field: string, range?: Range): number {
  if (!/^-?\d+$/.test(value))
    refuse(
      field,
      `"${value}" is not a whole number: write decimal digits only, e.g. 1000 (no exponent, hex, decimals or spaces)`,
    );
  const n = Number(value);
  if (!Number.isSafeInteger(n)) refuse(field, `"${value}" is too large`);
  if (range && (n < range.min || n > range.max)) refuse(field, `must be from ${range.min} to ${range.max} (got ${n})`);
  return n;
}

/** "15m" → 900000 ms; anything else, or a duration outside `range`, names `field`. */
export function parseDuration(value: string, field: string, range?: Range): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) return refuse(field, `"${value}" is not a duration like 90s, 15m, 2h or 1d`);
  const ms = Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
  if (range && (ms < range.min || ms > range.max))
    refuse(field, `"${value}" is out of range: from ${formatDuration(range.min)} to ${formatDuration(range.max)}`);
  return ms;
}

/** 900000 → "15m": the largest unit that divides it. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const)
    if (ms >= UNITS[unit]! && ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${ms}ms`;
}

/** The reconciliation's minimum age: the --min-age option (already parsed), else RESCIND_RECONCILE_MIN_AGE from the configuration. */
export function minAgeMs(option: number | undefined, configured: string): number {
  return option ?? parseDuration(configured, 'RESCIND_RECONCILE_MIN_AGE', RECONCILE_RANGES.minAge);
}
