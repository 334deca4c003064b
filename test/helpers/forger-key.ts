/** A forger's signing key: a fresh RSA key of the providers' size that no fixture or sandbox trusts. */
import { generateKeyPairSync } from 'node:crypto';

export const forgerPrivateKeyPem = (): string =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
