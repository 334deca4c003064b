/**
 * The QFPay vectors printed in docs/providers/qfpay.md §2.4 (computed independently of this code with a short script;
 * the figures are in that section), kept in test/fixtures/vectors/qfpay_vectors.json.
 */
import { readFileSync } from 'node:fs';

export interface QfpayVectors {
  /** Q0: the 2016 official vector. The key is run into the last value as printed, so it is signed with an empty key. */
  Q0: { line: string; md5: string };
  /** Q1: the 2017 official vector (CJK values, raw UTF-8). */
  Q1: { params: string; key: string; md5: string };
  /** Q2: the official response/notification vector; `\u4ea4…` are literal escape sequences in the body. */
  Q2: { body: string; key: string; md5: string };
  /** The invented key of the local vectors Q3–Q5 (also the sandbox account's client key). */
  key: string;
  /** Q3: a refund request, MD5 and SHA256. */
  Q3: {
    params: { mchid: string; out_trade_no: string; syssn: string; txamt: string; txdtm: string };
    string: string;
    md5: string;
    sha256: string;
  };
  /** Q4: a reversal without mchid. */
  Q4: { params: { out_trade_no: string; txamt: string; txdtm: string }; string: string; md5: string };
  /** Q5: a notification body; `compactMd5` is the digest of the same object re-serialised compactly with raw UTF-8. */
  Q5: { object: Record<string, string>; body: string; md5: string; compactMd5: string };
}

export const QFPAY_VECTORS = JSON.parse(
  readFileSync('test/fixtures/vectors/qfpay_vectors.json', 'utf8'),
) as QfpayVectors;
export const { Q0, Q1, Q2, Q3, Q4, Q5, key: QKEY } = QFPAY_VECTORS;

/** Parse a printed `k=v&k=v` string into parameters (values may contain spaces and CJK). */
export const parsePairs = (s: string): Record<string, string> =>
  Object.fromEntries(s.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
