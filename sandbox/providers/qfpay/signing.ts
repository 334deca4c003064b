/**
 * The simulator's own QFPay signing (docs/providers/qfpay.md §2), written apart from the adapter's signer so
 * both are checked against the documented vectors rather than only against each other.
 */
import { createHash } from 'node:crypto';

export type SimSignType = 'MD5' | 'SHA256';

const hash = (type: SimSignType, data: string): string =>
  createHash(type === 'SHA256' ? 'sha256' : 'md5')
    .update(data, 'utf8')
    .digest('hex')
    .toUpperCase();

/** Sorted `name=value` pairs joined by `&`, raw values, the key appended directly (§2.1). */
export function simSigningString(params: Readonly<Record<string, string>>, key: string): string {
  const names = Object.keys(params).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.map((n) => `${n}=${params[n]}`).join('&') + key;
}

export const simSignRequest = (params: Readonly<Record<string, string>>, key: string, type: SimSignType): string =>
  hash(type, simSigningString(params, key));

/**
 * Accept a signature over the parameters exactly as received, or over the non-empty ones only
 * (the 2016 vector signs empty values, the newest page drops them: §2.1). Hex case is ignored:
 * QFPay's Node sample sends lower-case.
 */
export function simVerifyRequest(
  params: Readonly<Record<string, string>>,
  key: string,
  type: SimSignType,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const want = given.trim().toUpperCase();
  const nonEmpty = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
  return want === simSignRequest(params, key, type) || want === simSignRequest(nonEmpty, key, type);
}

/** X-QF-SIGN of a response or notification: the raw body with the key appended (§2.2, §2.3). */
export const simSignBody = (body: string, key: string, type: SimSignType = 'MD5'): string => hash(type, body + key);

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Compact JSON with object keys sorted, at every depth. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = value as Record<string, unknown>;
    const members = Object.keys(fields)
      .sort(byBytes)
      .map((n) => `${JSON.stringify(n)}:${sortedJson(fields[n])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The other reading of the answer signature (§2.2, the response-format page): every field of the answer, names
 * sorted, `name=value` joined by `&`, the key appended. Nested values (a query's `data` rows) are compact JSON
 * with sorted keys, so that nothing the caller reads is left unsigned [INF].
 */
export function simSortedFieldsString(answer: Readonly<Record<string, unknown>>, key: string): string {
  const text = (v: unknown): string => (typeof v === 'string' ? v : sortedJson(v));
  return (
    Object.keys(answer)
      .sort(byBytes)
      .map((n) => `${n}=${text(answer[n])}`)
      .join('&') + key
  );
}

export const simSignSortedFields = (answer: Readonly<Record<string, unknown>>, key: string, type: SimSignType) =>
  hash(type, simSortedFieldsString(answer, key));

/**
 * JSON as Python's `json.dumps` writes it by default: `", "` and `": "` separators, every
 * non-ASCII UTF-16 unit as a lower-case `\uXXXX` escape. QFPay's bodies are signed in this form.
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
