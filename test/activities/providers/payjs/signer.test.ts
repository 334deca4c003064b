/** PAYJS signer against the worked vectors of docs/providers/payjs.md §2.4 (P1–P4, test/fixtures/vectors/payjs_vectors.json). */
import { createHash } from 'node:crypto';
import { payjsSign, payjsVerify, signingString } from '../../../../activities/providers/payjs/signer.js';
import { KEY, P1, P2, P3, P4 } from './vectors.js';

describe('PAYJS signer: docs/providers/payjs.md §2.4 vectors', () => {
  it('P1 documentation example with the placeholder key', () => {
    expect(signingString(P1.fields, P1.key)).toBe(P1.string);
    expect(payjsSign(P1.fields, P1.key)).toBe(P1.sign);
  });

  it('P2 check request', () => {
    expect(payjsSign(P2.fields, KEY)).toBe(P2.sign);
  });

  it('P3a drops "0" and 0 like PHP array_filter', () => {
    expect(signingString(P3.fields, KEY)).toBe(P3.string);
    expect(payjsSign(P3.fields, KEY)).toBe(P3.sign);
  });

  it('P3b keeps zeros in the fallback variant', () => {
    expect(payjsSign(P3.fields, KEY, true)).toBe(P3.sign_keeping_zeros);
  });

  it('verification accepts either 0-handling variant, and nothing else', () => {
    const fields = P3.fields;
    expect(payjsVerify({ ...fields, sign: P3.sign }, KEY)).toBe(true);
    expect(payjsVerify({ ...fields, sign: P3.sign_keeping_zeros }, KEY)).toBe(true);
    expect(payjsVerify({ ...fields, total_fee: 22, sign: P3.sign }, KEY)).toBe(false);
    expect(payjsVerify({ ...fields, status: 1, sign: P3.sign }, KEY)).toBe(false);
    expect(payjsVerify({ ...fields, sign: P3.sign.toLowerCase() }, KEY)).toBe(false);
    expect(payjsVerify({ ...fields, sign: P3.sign }, 'another-key')).toBe(false);
    expect(payjsVerify({ ...fields }, KEY)).toBe(false);
    expect(payjsVerify({ ...fields, sign: 'short' }, KEY)).toBe(false);
  });

  it('P4a raw values (space, +, Chinese) and an empty type left out', () => {
    expect(signingString(P4.fields, KEY)).toBe(P4.string);
    expect(payjsSign(P4.fields, KEY)).toBe(P4.sign);
  });

  it("P4b: the docs' Python demo (unquote(urlencode()): spaces become +) gives another digest, which we reject", () => {
    const python = signingString(P4.fields, KEY).replaceAll(' ', '+');
    expect(createHash('md5').update(python, 'utf8').digest('hex').toUpperCase()).toBe(P4.python_demo_sign);
    expect(payjsVerify({ ...P4.fields, sign: P4.python_demo_sign }, KEY)).toBe(false);
  });

  it('sorts keys byte-wise and writes true as 1, false and null as absent', () => {
    expect(signingString({ b: 'x', a_b: 'y', a: 'z', t: true, f: false, n: null }, 'k')).toBe(
      'a=z&a_b=y&b=x&t=1&key=k',
    );
  });
});
