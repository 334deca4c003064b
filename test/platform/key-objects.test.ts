/** Keys parsed once per PEM text (platform/key-objects.ts): the same object back, bad text refused and not kept, a bound. */
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cachedKeyCounts, privateKeyObject, publicKeyObject } from '../../platform/key-objects.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8');

describe('parsed keys kept by their PEM', () => {
  it('gives back the same parsed key for the same text, and it signs and verifies as the PEM does', () => {
    const privatePem = fixture('wxpay_merchant_private_pkcs8.pem');
    const publicPem = fixture('wxpay_merchant_public_spki.pem');
    const key = privateKeyObject(privatePem);
    expect(privateKeyObject(privatePem)).toBe(key);
    expect(publicKeyObject(publicPem)).toBe(publicKeyObject(publicPem));
    expect(key.asymmetricKeyType).toBe('rsa');
    const signature = createSign('RSA-SHA256').update('message').sign(key, 'base64');
    // RSA PKCS#1 v1.5 is deterministic: the parsed key and the PEM give the same bytes.
    expect(signature).toBe(createSign('RSA-SHA256').update('message').sign(privatePem, 'base64'));
    expect(createVerify('RSA-SHA256').update('message').verify(publicKeyObject(publicPem), signature, 'base64')).toBe(
      true,
    );
  });

  it('refuses text that is not a key, as signing with it would, and keeps nothing for it', () => {
    const before = cachedKeyCounts();
    expect(() => privateKeyObject('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----')).toThrow();
    expect(() => publicKeyObject('not a key')).toThrow();
    expect(cachedKeyCounts()).toEqual(before);
  });

  it('holds at most 64 keys of each kind, however many it is given', () => {
    for (let i = 0; i < 80; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      privateKeyObject(privateKey);
      publicKeyObject(publicKey);
    }
    expect(cachedKeyCounts()).toEqual({ private: 64, public: 64 });
  });
});
