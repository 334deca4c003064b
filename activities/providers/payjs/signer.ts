/**
 * PAYJS MD5 signing, byte-for-byte as the official PHP SDK does it (payjs.md §2.2): drop empty
 * values ("" / null / "0" / 0 / false), sort keys, join raw values, append `&key=`, MD5, upper-case.
 * Requests, responses and notifications all use this one function.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type SignableValue = string | number | boolean | null | undefined;

/** PHP `array_filter` without a callback: these values are left out of the signing string. */
const isDropped = (v: SignableValue): boolean => v === undefined || v === null || v === '' || v === '0' || v === 0 || v === false;

export function signingString(fields: Record<string, SignableValue>, key: string, keepZeros = false): string {
  const kept = Object.keys(fields)
    .filter((k) => k !== 'sign' && (keepZeros ? !['', null, undefined, false].includes(fields[k] as never) : !isDropped(fields[k])))
    .sort();
  return `${kept.map((k) => `${k}=${String(fields[k])}`).join('&')}&key=${key}`;
}

export function payjsSign(fields: Record<string, SignableValue>, key: string, keepZeros = false): string {
  return createHash('md5').update(signingString(fields, key, keepZeros), 'utf8').digest('hex').toUpperCase();
}

/**
 * Verify a received `sign`. The server's handling of 0 values is unconfirmed (payjs.md §8 Q1),
 * so the variant that keeps them is accepted too; both are keyed MD5s over every received field.
 */
export function payjsVerify(fields: Record<string, SignableValue>, key: string): boolean {
  const given = typeof fields.sign === 'string' ? fields.sign.toUpperCase() : '';
  if (given.length !== 32) return false;
  return [payjsSign(fields, key), payjsSign(fields, key, true)].some((expected) => timingSafeEqual(Buffer.from(expected), Buffer.from(given)));
}
