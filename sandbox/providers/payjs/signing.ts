/**
 * The simulator's own PAYJS signing (docs/providers/payjs.md §2), written apart from the adapter's signer so the
 * two are each checked against the documented vectors rather than only against each other.
 */
import { createHash } from 'node:crypto';

export type PayjsFields = Record<string, string | number | boolean | null | undefined>;

/**
 * PHP semantics: `array_filter` (empty, null, false, 0, "0" out), `ksort`, raw values, `&key=`.
 * `filter: 'none'` is the official Java demo, which signs every field as given (§2.3).
 */
export function simSign(fields: PayjsFields, key: string, filter: 'php' | 'none' = 'php'): string {
  const parts: string[] = [];
  for (const name of Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
    const value = fields[name];
    if (name === 'sign' || value === undefined || value === null) continue;
    if (filter === 'php' && (value === '' || value === '0' || value === 0 || value === false)) continue;
    parts.push(`${name}=${value === true ? '1' : String(value)}`);
  }
  parts.push(`key=${key}`);
  return createHash('md5').update(parts.join('&'), 'utf8').digest('hex').toUpperCase();
}

/** Accept a request signed either way PAYJS's own code signs (PHP SDK, Java demo). */
export function simVerify(fields: Record<string, string>, key: string): boolean {
  const given = fields.sign;
  if (!given) return false;
  return given === simSign(fields, key, 'php') || given === simSign(fields, key, 'none');
}

/**
 * The docs' Python demo, `md5(unquote(urlencode(sorted(fields))) + '&key=' + key)` (§2.5), done the same
 * way: form-encode every field (no filtering; None/True/False as Python writes them), then undo every
 * %XX escape but not the `+` that stands for a space.
 */
export function simSignPythonDemo(fields: PayjsFields, key: string): string {
  const pythonStr = (v: string | number | boolean | null): string =>
    v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
  const sorted = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name): [string, string] => [name, pythonStr(fields[name] as string | number | boolean | null)]);
  const unquoted = decodeURIComponent(new URLSearchParams(sorted).toString());
  return createHash('md5').update(`${unquoted}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}
