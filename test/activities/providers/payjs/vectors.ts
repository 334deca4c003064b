/**
 * The PAYJS vectors of docs/providers/payjs.md §2.4 (P1–P4), kept in test/fixtures/vectors/payjs_vectors.json:
 * the fields signed, the exact signing string where printed, and the MD5 digests.
 */
import { readFileSync } from 'node:fs';

type Fields = Record<string, string | number>;

export interface PayjsVectors {
  /** The invented merchant key of P2–P4. */
  key: string;
  /** The documentation example, signed with its placeholder key. */
  P1: { key: string; fields: Fields; string: string; sign: string };
  /** A check request. */
  P2: { fields: Fields; sign: string };
  /** The real unpaid check answer (docs/providers/payjs.md §3.1): "0" and 0 dropped, and the fallback keeping them. */
  P3: { fields: Fields; string: string; sign: string; sign_keeping_zeros: string };
  /** A payment notification: raw values (space, +, Chinese), an empty type left out; and the docs' Python demo digest. */
  P4: { fields: Fields; string: string; sign: string; python_demo_sign: string };
}

export const PAYJS_VECTORS = JSON.parse(
  readFileSync('test/fixtures/vectors/payjs_vectors.json', 'utf8'),
) as PayjsVectors;
export const { key: KEY, P1, P2, P3, P4 } = PAYJS_VECTORS;

/** P4 as PAYJS POSTs it: every value a string. */
export const P4_FORM: Record<string, string> = Object.fromEntries(
  Object.entries(P4.fields).map(([name, value]) => [name, String(value)]),
);
