/**
 * QFPay signatures (docs/providers/qfpay.md §2), pure functions.
 *
 * Requests: sort the parameter names, join raw `name=value` with `&`, append the client key
 * directly, hash with MD5 (default) or SHA256, upper-case hex. Responses and notifications:
 * MD5(raw body bytes + client key), over the bytes exactly as received, never re-serialised.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type QfpaySignType = 'MD5' | 'SHA256';

/** The string a request signature covers. Keys are sorted, not joined pairs (§2.4 sorting pitfall). */
export function qfpaySigningString(params: Readonly<Record<string, string>>, clientKey: string): string {
  const names = Object.keys(params).sort();
  return `${names.map((name) => `${name}=${params[name]}`).join('&')}${clientKey}`;
}

/** X-QF-SIGN for a request. */
export function qfpaySignRequest(params: Readonly<Record<string, string>>, clientKey: string, type: QfpaySignType = 'MD5'): string {
  return digest(type, Buffer.from(qfpaySigningString(params, clientKey), 'utf8'));
}

/** X-QF-SIGN over a raw body (responses, notifications). */
export function qfpaySignBody(rawBody: Buffer | string, clientKey: string, type: QfpaySignType = 'MD5'): string {
  return digest(type, Buffer.concat([Buffer.from(rawBody), Buffer.from(clientKey, 'utf8')]));
}

/** Whether `given` is the body signature; hex case is ignored (QFPay's own samples use both). */
export function qfpayVerifyBody(rawBody: Buffer | string, clientKey: string, given: string | undefined, type: QfpaySignType = 'MD5'): boolean {
  if (!given) return false;
  const expected = Buffer.from(qfpaySignBody(rawBody, clientKey, type));
  const actual = Buffer.from(given.trim().toUpperCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function digest(type: QfpaySignType, data: Buffer): string {
  return createHash(type === 'SHA256' ? 'sha256' : 'md5').update(data).digest('hex').toUpperCase();
}
