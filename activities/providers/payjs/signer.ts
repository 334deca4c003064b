/**
 * PAYJS MD5 signing (docs/providers/payjs.md §2). PAYJS's own material canonicalises the fields two ways
 * before the MD5, and both are named here (§2.5):
 * - the PHP SDK's (`signingString`, `payjsSign`), byte for byte as its `sign`/`checkSign` do it (§2.2):
 *   `array_filter` (drop "" / null / false / 0 / "0"), `ksort`, raw values joined as k=v&…, `&key=<secret>`;
 * - the docs' Python demo's (`pythonDemoSigningString`, `payjsSignPythonDemo`): `unquote(urlencode(sorted))`,
 *   which keeps every field and writes each space as `+`.
 * Both end in MD5, upper-case hex. Requests and notifications use the PHP SDK's; answers are accepted under either.
 * Pure: no I/O, no clock.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A value as it can appear in a PAYJS form field or flat JSON answer. */
export type SignableValue = string | number | boolean | null | undefined;

/** The two canonicalisations PAYJS documents (docs/providers/payjs.md §2.5). */
export type PayjsCanonicalisation = 'php-sdk' | 'python-demo';

/** PHP `array_filter` without a callback leaves these out of the signing string. */
const droppedByPhp = (v: SignableValue): boolean =>
  v === undefined || v === null || v === '' || v === '0' || v === 0 || v === false;

/** The "keep zeros" variant (docs/providers/payjs.md §2.3, vector P3b): only absent/empty values are left out. */
const droppedKeepingZeros = (v: SignableValue): boolean => v === undefined || v === null || v === '' || v === false;

/** How `http_build_query` writes a scalar: true is "1", numbers in decimal, strings raw. */
const phpString = (v: SignableValue): string => (v === true ? '1' : String(v));

/** How Python's `str()` writes what `json.loads` gives: None, True, False; integers in decimal, strings raw. */
const pythonString = (v: null | string | number | boolean): string =>
  v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : String(v);

/** Byte-wise ascending, like PHP `ksort` and Python `sorted` on ASCII keys (not locale order). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The PHP SDK's string that is hashed. `keepZeros` selects the P3b variant, used only as a
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

/**
 * The Python demo's string that is hashed (docs/providers/payjs.md §2.5): every field but `sign`, none dropped,
 * sorted, then `unquote(urlencode(...))`. `urlencode` quotes with `quote_plus` and `unquote` reverses every
 * %XX it made but not the `+` it made of a space, so the one change against raw values is space → `+`.
 * An absent (undefined) field is not a field at all.
 */
export function pythonDemoSigningString(fields: Record<string, SignableValue>, key: string): string {
  const plus = (s: string): string => s.replaceAll(' ', '+');
  const pairs = Object.keys(fields)
    .filter((k) => k !== 'sign' && fields[k] !== undefined)
    .sort(byteOrder)
    .map((k) => `${plus(k)}=${plus(pythonString(fields[k] as null | string | number | boolean))}`);
  return `${pairs.join('&')}&key=${key}`;
}

const md5Upper = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

/** The `sign` PAYJS's PHP SDK gives these fields (the `sign` field itself is ignored). */
export function payjsSign(fields: Record<string, SignableValue>, key: string, keepZeros = false): string {
  return md5Upper(signingString(fields, key, keepZeros));
}

/** The `sign` the docs' Python demo gives these fields (the `sign` field itself is ignored). */
export function payjsSignPythonDemo(fields: Record<string, SignableValue>, key: string): string {
  return md5Upper(pythonDemoSigningString(fields, key));
}

/** Whether `candidate` equals the received sign, in constant time. */
const sameSign = (candidate: string, received: Buffer): boolean =>
  timingSafeEqual(Buffer.from(candidate, 'ascii'), received);

/** The received `sign` as bytes, or undefined when it is not 32 upper-case hex digits. */
function receivedSign(fields: Record<string, SignableValue>): Buffer | undefined {
  const given = fields.sign;
  return typeof given === 'string' && /^[0-9A-F]{32}$/.test(given) ? Buffer.from(given, 'ascii') : undefined;
}

/**
 * Whether the received `sign` covers every other received field under the PHP SDK's canonicalisation.
 * Both 0-handling variants are accepted; each is a keyed MD5 over all fields, so neither lets a
 * field change unnoticed. Notifications are checked with this one only.
 */
export function payjsVerify(fields: Record<string, SignableValue>, key: string): boolean {
  const received = receivedSign(fields);
  if (received === undefined) return false;
  return [false, true].some((keepZeros) => sameSign(payjsSign(fields, key, keepZeros), received));
}

/**
 * Which of PAYJS's two documented canonicalisations an answer's `sign` verifies under, or undefined
 * when it verifies under neither (then the answer is not PAYJS's word). The Python demo's cannot tell
 * a space from a `+` (§2.5): accepting it lets nothing else change unnoticed.
 */
export function answerSignedAs(fields: Record<string, SignableValue>, key: string): PayjsCanonicalisation | undefined {
  const received = receivedSign(fields);
  if (received === undefined) return undefined;
  if (payjsVerify(fields, key)) return 'php-sdk';
  return sameSign(payjsSignPythonDemo(fields, key), received) ? 'python-demo' : undefined;
}
