/**
 * PAYJS MD5 signing, byte for byte as PAYJS's own PHP SDK does it (docs/providers/payjs.md §2.2):
 * `array_filter` (drop "" / null / false / 0 / "0"), `ksort`, raw values joined as k=v&…,
 * then `&key=<secret>`, MD5, upper-case hex. Requests, responses and notifications all use it.
 * Pure: no I/O, no clock.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A value as it can appear in a PAYJS form field or flat JSON answer. */
export type SignableValue = string | number | boolean | null | undefined;

/** PHP `array_filter` without a callback leaves these out of the signing string. */
const droppedByPhp = (v: SignableValue): boolean => v === undefined || v === null || v === '' || v === '0' || v === 0 || v === false;

/** The "keep zeros" variant (docs/providers/payjs.md §2.3, vector P3b): only absent/empty values are left out. */
const droppedKeepingZeros = (v: SignableValue): boolean => v === undefined || v === null || v === '' || v === false;

/** How `http_build_query` writes a scalar: true is "1", numbers in decimal, strings raw. */
const phpString = (v: SignableValue): string => (v === true ? '1' : String(v));

/** Byte-wise ascending, like PHP `ksort` on ASCII keys (not locale order). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The exact string that is hashed. `keepZeros` selects the P3b variant, used only as a
 * verification fallback because the server's treatment of 0 is unconfirmed (docs/providers/payjs.md §8 Q1).
 */
export function signingString(fields: Record<string, SignableValue>, key: string, keepZeros = false): string {
  const dropped = keepZeros ? droppedKeepingZeros : droppedByPhp;
  const pairs = Object.keys(fields)
    .filter((k) => k !== 'sign' && !dropped(fields[k]))
    .sort(byteOrder)
    .map((k) => `${k}=${phpString(fields[k])}`);
  return `${pairs.join('&')}&key=${key}`;
}

/** The `sign` PAYJS expects for these fields (the `sign` field itself is ignored). */
export function payjsSign(fields: Record<string, SignableValue>, key: string, keepZeros = false): string {
  return createHash('md5').update(signingString(fields, key, keepZeros), 'utf8').digest('hex').toUpperCase();
}

/**
 * Whether the received `sign` covers every other received field. Both 0-handling variants are
 * accepted; each is a keyed MD5 over all fields, so neither lets a field change unnoticed.
 */
export function payjsVerify(fields: Record<string, SignableValue>, key: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || !/^[0-9A-F]{32}$/.test(given)) return false;
  const received = Buffer.from(given, 'ascii');
  return [false, true].some((keepZeros) => timingSafeEqual(Buffer.from(payjsSign(fields, key, keepZeros), 'ascii'), received));
}
