/**
 * QFPay signatures (qfpay.md §2). Requests: sort parameter names, join raw `k=v` with `&`, append
 * the client key directly, MD5 or SHA256, upper-case hex. Responses and notifications:
 * MD5(raw body bytes + client key), upper-case, over the bytes exactly as received.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type QfpaySignType = 'MD5' | 'SHA256';

export function qfpayRequestString(params: Record<string, string>, clientKey: string): string {
  // Sort keys, not joined pairs (qfpay.md §2.4 sorting pitfall).
  return `${Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&')}${clientKey}`;
}

export function qfpaySignRequest(params: Record<string, string>, clientKey: string, type: QfpaySignType = 'MD5'): string {
  return createHash(type === 'SHA256' ? 'sha256' : 'md5').update(qfpayRequestString(params, clientKey), 'utf8').digest('hex').toUpperCase();
}

/** Response / notification signature over the raw bytes. */
export function qfpaySignBody(rawBody: Buffer | string, clientKey: string): string {
  return createHash('md5').update(Buffer.concat([Buffer.from(rawBody), Buffer.from(clientKey, 'utf8')])).digest('hex').toUpperCase();
}

export function qfpayVerifyBody(rawBody: Buffer | string, clientKey: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(qfpaySignBody(rawBody, clientKey));
  const actual = Buffer.from(given.toUpperCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Compare a request signature case-insensitively (the official Node sample sends lower-case hex). */
export function qfpayVerifyRequest(params: Record<string, string>, clientKey: string, type: QfpaySignType, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(qfpaySignRequest(params, clientKey, type));
  const actual = Buffer.from(given.toUpperCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** QFPay's own times: `YYYY-MM-DD hh:mm:ss` in Hong Kong time (UTC+8, no daylight saving). */
export function qfpayTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Serialise like Python's `json.dumps` defaults — `", "` and `": "` separators, non-ASCII as
 * `\uXXXX` — the byte format QFPay notifications are signed over (qfpay.md §2.3).
 */
export function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
