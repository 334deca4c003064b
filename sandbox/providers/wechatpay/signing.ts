/**
 * The simulator's own WeChat Pay v3 crypto (docs/providers/wechatpay.md §2–§4), written apart from the
 * adapter's signer so both are checked against the documented vectors rather than only against
 * each other: WeChat's side of the request signature, answer/notification signatures and the
 * AEAD_AES_256_GCM resource encryption.
 */
import { createCipheriv, createSign, createVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from '../../../platform/key-objects.js';

export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export interface SimAuthorization {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/** The five `name="value"` parameters after the schema, in any order, spaces tolerated (§2.3). */
export function simParseAuthorization(header: string | undefined): SimAuthorization | undefined {
  const match = header ? new RegExp(`^${AUTH_SCHEMA} (.*)$`).exec(header) : null;
  if (!match) return undefined;
  const found = new Map<string, string>();
  for (const m of match[1]!.matchAll(/\s*(\w+)\s*=\s*"([^"]*)"\s*(,|$)/g)) {
    if (found.has(m[1]!)) return undefined;
    found.set(m[1]!, m[2]!);
  }
  const names = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
  if (names.some((n) => !found.get(n))) return undefined;
  return Object.fromEntries(names.map((n) => [n, found.get(n)!])) as unknown as SimAuthorization;
}

/** WeChat's check of a request: method, the request-target as received, timestamp, nonce, raw body (§2.1). */
export function simVerifyRequest(
  method: string,
  target: string,
  auth: SimAuthorization,
  rawBody: string,
  merchantPublicKeyPem: string,
): boolean {
  const message = [method, target, auth.timestamp, auth.nonce_str, rawBody].map((line) => `${line}\n`).join('');
  try {
    return createVerify('sha256WithRSAEncryption')
      .update(message, 'utf8')
      .verify(publicKeyObject(merchantPublicKeyPem), auth.signature, 'base64');
  } catch {
    return false;
  }
}

/** Wechatpay-Signature over `timestamp\nnonce\nbody\n` (§3.2). */
export const simSignAnswer = (timestamp: string, nonce: string, body: string, platformPrivateKeyPem: string): string =>
  createSign('sha256WithRSAEncryption')
    .update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8')
    .sign(privateKeyObject(platformPrivateKeyPem), 'base64');

/** AEAD_AES_256_GCM: APIv3 key and nonce as raw bytes, tag appended to the ciphertext, base64 (§4.2). */
export function simEncryptResource(apiV3Key: string, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  const sealed = Buffer.concat([cipher.update(Buffer.from(plaintext, 'utf8')), cipher.final()]);
  return Buffer.concat([sealed, cipher.getAuthTag()]).toString('base64');
}
