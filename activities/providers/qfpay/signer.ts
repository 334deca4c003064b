/**
 * QFPay signatures (docs/providers/qfpay.md §2), pure functions.
 *
 * Requests: sort the parameter names, join raw `name=value` with `&`, append the client key
 * directly, hash with MD5 (default) or SHA256, upper-case hex. Notifications: MD5(raw body bytes + client key),
 * over the bytes exactly as received, never re-serialised. Answers: one configured scheme, over the raw body
 * (as notifications) or over the answer's sorted fields; the documents disagree (§2.2).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type QfpaySignType = 'MD5' | 'SHA256';

/** The string a request signature covers. Keys are sorted, not joined pairs (§2.4 sorting pitfall). */
export function qfpaySigningString(params: Readonly<Record<string, string>>, clientKey: string): string {
  const names = Object.keys(params).sort();
  return `${names.map((name) => `${name}=${params[name]}`).join('&')}${clientKey}`;
}

/** X-QF-SIGN for a request. */
export function qfpaySignRequest(
  params: Readonly<Record<string, string>>,
  clientKey: string,
  type: QfpaySignType = 'MD5',
): string {
  return digest(type, Buffer.from(qfpaySigningString(params, clientKey), 'utf8'));
}

/** X-QF-SIGN over a raw body (responses, notifications). */
export function qfpaySignBody(rawBody: Buffer | string, clientKey: string, type: QfpaySignType = 'MD5'): string {
  return digest(type, Buffer.concat([Buffer.from(rawBody), Buffer.from(clientKey, 'utf8')]));
}

/** Whether `given` is the body signature; hex case is ignored (QFPay's own samples use both). */
export function qfpayVerifyBody(
  rawBody: Buffer | string,
  clientKey: string,
  given: string | undefined,
  type: QfpaySignType = 'MD5',
): boolean {
  if (!given) return false;
  const expected = Buffer.from(qfpaySignBody(rawBody, clientKey, type));
  const actual = Buffer.from(given.trim().toUpperCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** How answers are signed (§2.2): what the signature covers and the hash. Only this scheme is trusted. */
export interface QfpayAnswerScheme {
  over: 'raw_body' | 'sorted_fields';
  type: QfpaySignType;
}

/** Compact JSON with every object's keys sorted (nested answer values in the sorted-fields string). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const fields = value as Record<string, unknown>;
  return `{${Object.keys(fields)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${canonicalJson(fields[name])}`)
    .join(',')}}`;
}

/**
 * The string a sorted-fields answer signature covers: every top-level field, names sorted, `name=value` joined
 * by `&`, the client key appended. Strings go in as they are, other values as compact JSON with sorted keys, so
 * a query's `data` rows are covered too: nothing the mapper reads is outside the signature [INF, §2.2].
 */
export function qfpaySortedFieldsString(answer: Readonly<Record<string, unknown>>, clientKey: string): string {
  const names = Object.keys(answer).sort();
  const text = (value: unknown): string => (typeof value === 'string' ? value : canonicalJson(value));
  return `${names.map((name) => `${name}=${text(answer[name])}`).join('&')}${clientKey}`;
}

/** X-QF-SIGN over an answer's sorted fields. */
export function qfpaySignSortedFields(
  answer: Readonly<Record<string, unknown>>,
  clientKey: string,
  type: QfpaySignType = 'MD5',
): string {
  return digest(type, Buffer.from(qfpaySortedFieldsString(answer, clientKey), 'utf8'));
}

/** Whether `given` signs this answer under exactly the configured scheme (hex case ignored). */
export function qfpayVerifyAnswer(
  raw: Buffer,
  answer: Readonly<Record<string, unknown>>,
  clientKey: string,
  given: string | undefined,
  scheme: QfpayAnswerScheme,
): boolean {
  if (scheme.over === 'raw_body') return qfpayVerifyBody(raw, clientKey, given, scheme.type);
  if (!given) return false;
  const expected = Buffer.from(qfpaySignSortedFields(answer, clientKey, scheme.type));
  const actual = Buffer.from(given.trim().toUpperCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function digest(type: QfpaySignType, data: Buffer): string {
  return createHash(type === 'SHA256' ? 'sha256' : 'md5')
    .update(data)
    .digest('hex')
    .toUpperCase();
}
