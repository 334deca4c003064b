/** Known-answer tests of the adapter's WeChat Pay signer against the documented vectors (docs/providers/wechatpay.md §2.5, §3, §4.4). */
import { createHash } from 'node:crypto';
import {
  authorizationHeader,
  decryptResource,
  encryptResource,
  headerValue,
  parseAuthorization,
  requestMessage,
  responseMessage,
  rsaSign,
  rsaVerify,
  verifySigned,
} from '../../../../activities/providers/wechatpay/signer.js';
import {
  MERCHANT_PRIVATE,
  MERCHANT_PUBLIC,
  PLATFORM_CERT,
  PLATFORM_CERT_SERIAL,
  PLATFORM_PUBLIC,
  V,
  type RequestInputs,
} from './fixtures.js';

const { A, B, C, D, D2, E } = V;
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const messageOf = (v: { inputs: RequestInputs }, body: string) =>
  requestMessage(v.inputs.method, v.inputs.url, v.inputs.timestamp, v.inputs.nonce_str, body);

describe('request signing (§2)', () => {
  it('A: GET query — five lines ending in an empty body line, signature, Authorization header', () => {
    const message = messageOf(A, '');
    expect(message).toBe(A.message);
    expect(message.endsWith('\n\n')).toBe(true);
    expect(sha256(message)).toBe(A.sha256);
    expect(rsaSign(message, MERCHANT_PRIVATE)).toBe(A.signature);
    expect(rsaVerify(message, A.signature, MERCHANT_PUBLIC)).toBe(true);
    const { mchid, nonce_str, timestamp, serial_no } = A.inputs;
    expect(
      authorizationHeader({
        mchid: mchid!,
        nonce_str,
        signature: A.signature,
        timestamp: String(timestamp),
        serial_no: serial_no!,
      }),
    ).toBe(A.authorization);
  });

  it('B: POST refund — the exact body bytes are the fifth line', () => {
    const message = messageOf(B, B.body);
    expect(message).toBe(B.message);
    expect(sha256(message)).toBe(B.sha256);
    expect(rsaSign(message, MERCHANT_PRIVATE)).toBe(B.signature);
  });

  it('C: POST reverse', () => {
    const message = messageOf(C, C.body);
    expect(message).toBe(C.message);
    expect(rsaSign(message, MERCHANT_PRIVATE)).toBe(C.signature);
    expect(rsaVerify(message.replace('reverse', 'close'), C.signature, MERCHANT_PUBLIC)).toBe(false);
  });

  it('parses Authorization with the parameters in any order and optional spaces; refuses anything else', () => {
    const parsed = parseAuthorization(A.authorization);
    expect(parsed).toEqual({
      mchid: A.inputs.mchid,
      nonce_str: A.inputs.nonce_str,
      signature: A.signature,
      timestamp: String(A.inputs.timestamp),
      serial_no: A.inputs.serial_no,
    });
    const reordered = `WECHATPAY2-SHA256-RSA2048 serial_no="${parsed!.serial_no}", timestamp="${parsed!.timestamp}", nonce_str="${parsed!.nonce_str}", signature="${parsed!.signature}", mchid="${parsed!.mchid}"`;
    expect(parseAuthorization(reordered)).toEqual(parsed);
    expect(
      parseAuthorization(A.authorization!.replace('WECHATPAY2-SHA256-RSA2048', 'WECHATPAY2-SM2-WITH-SM3')),
    ).toBeUndefined();
    expect(parseAuthorization(A.authorization!.replace(/,serial_no="[^"]*"/, ''))).toBeUndefined();
    expect(parseAuthorization(`${A.authorization},mchid="1900000109"`)).toBeUndefined();
    expect(parseAuthorization(undefined)).toBeUndefined();
  });
});

describe('answer verification (§3)', () => {
  const [ts, nonce] = D.message!.split('\n') as [string, string];
  const headers = {
    'wechatpay-serial': D.serial,
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': D.signature,
  };
  const key = { keyId: D.serial!, publicKeyPem: PLATFORM_PUBLIC };
  const at = Number(ts);

  it('D: three lines over the raw body, verified with the key named by Wechatpay-Serial', () => {
    expect(responseMessage(ts, nonce, D.body!)).toBe(D.message);
    expect(verifySigned(headers, D.body!, key, at)).toEqual({ valid: true });
  });

  it('D2: a 204 with an empty body is signed over "ts\\nnonce\\n\\n"', () => {
    expect(responseMessage(ts, nonce, '')).toBe(D2.message);
    expect(verifySigned({ ...headers, 'wechatpay-signature': D2.signature }, '', key, at)).toEqual({ valid: true });
  });

  it('±300 s is accepted, 301 s is not, in either direction', () => {
    expect(verifySigned(headers, D.body!, key, at + 300)).toEqual({ valid: true });
    expect(verifySigned(headers, D.body!, key, at - 300)).toEqual({ valid: true });
    expect(verifySigned(headers, D.body!, key, at + 301)).toEqual({
      valid: false,
      missing: false,
      reason: 'Wechatpay-Timestamp more than 300 s away',
    });
    expect(verifySigned(headers, D.body!, key, at - 301)).toMatchObject({ valid: false, missing: false });
  });

  it.each([
    ['no signature headers at all', {}, D.body, { valid: false, missing: true, reason: 'signature headers missing' }],
    [
      'one header missing',
      { ...headers, 'wechatpay-nonce': undefined },
      D.body,
      { missing: false, reason: 'signature headers incomplete' },
    ],
    [
      'another key id',
      { ...headers, 'wechatpay-serial': 'PUB_KEY_ID_01123000010920219999999999999999' },
      D.body,
      { missing: false, reason: expect.stringContaining('unknown key') },
    ],
    [
      'a signature probe',
      { ...headers, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${D.signature}` },
      D.body,
      { reason: 'signature probe' },
    ],
    ['a changed body', headers, D.body!.replace('SUCCESS', 'NOTPAY'), { reason: 'Wechatpay-Signature did not verify' }],
    [
      'the body re-serialised with spaces',
      headers,
      JSON.stringify(JSON.parse(D.body!), null, 1),
      { reason: 'Wechatpay-Signature did not verify' },
    ],
    [
      'a timestamp that is not a number',
      { ...headers, 'wechatpay-timestamp': `${ts}.0` },
      D.body,
      { reason: 'Wechatpay-Timestamp more than 300 s away' },
    ],
    [
      'garbage in the signature',
      { ...headers, 'wechatpay-signature': '!!!' },
      D.body,
      { reason: 'Wechatpay-Signature did not verify' },
    ],
  ])('%s does not verify', (_what, h, body, verdict) => {
    expect(verifySigned(h as Record<string, string>, body!, key, at)).toMatchObject({ valid: false, ...verdict });
  });

  it('platform-certificate mode: the serial names a certificate whose public key verifies (case-insensitive)', () => {
    const cert = { keyId: PLATFORM_CERT_SERIAL, publicKeyPem: PLATFORM_CERT };
    expect(
      verifySigned({ ...headers, 'wechatpay-serial': PLATFORM_CERT_SERIAL.toLowerCase() }, D.body!, cert, at),
    ).toEqual({ valid: true });
    expect(verifySigned(headers, D.body!, cert, at)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('unknown key'),
    });
  });

  it('reads headers whatever their case, the first of repeated values', () => {
    expect(headerValue({ 'Wechatpay-Serial': 'X' }, 'wechatpay-serial')).toBe('X');
    expect(headerValue({ 'wechatpay-nonce': ['a', 'b'] }, 'wechatpay-nonce')).toBe('a');
    expect(headerValue({}, 'wechatpay-nonce')).toBeUndefined();
  });
});

describe('AEAD_AES_256_GCM (§4.2, vector E)', () => {
  it('decrypts the resource to the documented plaintext, and encrypts it back to the same bytes', () => {
    expect(decryptResource(E.apiv3key!, E.nonce!, E.associated_data!, E.ciphertext!)).toBe(E.plaintext);
    expect(encryptResource(E.apiv3key!, E.nonce!, E.associated_data!, E.plaintext!)).toBe(E.ciphertext);
  });

  it.each([
    ['another APIv3 key', () => decryptResource('x'.repeat(32), E.nonce!, E.associated_data!, E.ciphertext!)],
    ['another nonce', () => decryptResource(E.apiv3key!, 'fdasflkja485', E.associated_data!, E.ciphertext!)],
    ['other associated data', () => decryptResource(E.apiv3key!, E.nonce!, 'refund', E.ciphertext!)],
    [
      'a flipped ciphertext byte',
      () => decryptResource(E.apiv3key!, E.nonce!, E.associated_data!, `A${E.ciphertext!.slice(1)}`),
    ],
    ['a ciphertext shorter than the tag', () => decryptResource(E.apiv3key!, E.nonce!, E.associated_data!, 'AAAA')],
  ])('refuses %s', (_what, open) => {
    expect(open).toThrow();
  });
});
