/**
 * WeChat Pay API v3 signatures (docs/providers/wechatpay.md §2–§4), pure functions only:
 * WECHATPAY2-SHA256-RSA2048 request signing over five lines, verification of signed answers and
 * notifications over three lines (±300 s), and the AEAD_AES_256_GCM resource encryption.
 */
import { createCipheriv, createDecipheriv, createSign, createVerify, type KeyObject } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from '../../../platform/key-objects.js';

export const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** Anti-replay window for signed answers, notifications and (at WeChat) requests (§2.3, §3.3). */
export const MAX_CLOCK_SKEW_S = 300;

/** Signature probes WeChat sends to check that merchants reject bad signatures (§4.3). */
export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** method \n request-target (path + query, exactly as sent) \n timestamp \n nonce \n body \n (§2.1). */
export const requestMessage = (
  method: string,
  target: string,
  timestamp: number | string,
  nonce: string,
  body: string,
): string => `${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`;

/** timestamp \n nonce \n body \n — the body exactly as received, empty for a 204 (§3.2). */
export const responseMessage = (timestamp: number | string, nonce: string, body: string): string =>
  `${timestamp}\n${nonce}\n${body}\n`;

/** SHA256withRSA (PKCS#1 v1.5), base64. */
export const rsaSign = (message: string, privateKeyPem: string): string =>
  createSign('RSA-SHA256').update(message).sign(privateKeyObject(privateKeyPem), 'base64');

/** A public key from an SPKI/PKCS#1 PEM or from a platform certificate PEM (§3.4). */
export function publicKeyOf(pem: string): KeyObject {
  return publicKeyObject(pem);
}

/** Verify a base64 SHA256withRSA signature; anything malformed is simply "does not verify". */
export function rsaVerify(message: string, signature: string | undefined, publicKeyPem: string): boolean {
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKeyOf(publicKeyPem), signature, 'base64');
  } catch {
    return false;
  }
}

export interface AuthorizationParams {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/** The Authorization header value, parameters in the official examples' order (§2.3). */
export const authorizationHeader = (p: AuthorizationParams): string =>
  `${SCHEMA} mchid="${p.mchid}",nonce_str="${p.nonce_str}",signature="${p.signature}",timestamp="${p.timestamp}",serial_no="${p.serial_no}"`;

/** Parse an Authorization header: five parameters in any order, optional spaces; undefined if it is not one. */
export function parseAuthorization(header: string | undefined): AuthorizationParams | undefined {
  if (!header?.startsWith(`${SCHEMA} `)) return undefined;
  const params: Record<string, string> = {};
  for (const part of header.slice(SCHEMA.length + 1).split(',')) {
    const match = /^\s*(\w+)="([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    // A repeated parameter could be read two ways: refuse it.
    if (match[1]! in params) return undefined;
    params[match[1]!] = match[2]!;
  }
  const { mchid, nonce_str, signature, timestamp, serial_no } = params;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

export type HeaderBag = Record<string, string | string[] | undefined>;

/** A header by its lower-case name (Node lower-cases incoming names), first value if repeated. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const key = name in headers ? name : Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

/** The WeChat Pay key we trust: its id (PUB_KEY_ID_… or a platform certificate serial) and PEM. */
export interface TrustedKey {
  keyId: string;
  publicKeyPem: string;
}

/** Whether a signed answer or notification verified, and if not, why (`missing`: no signature headers at all). */
export type SignatureVerdict = { valid: true } | { valid: false; missing: boolean; reason: string };

/**
 * Check Wechatpay-Serial/-Timestamp/-Nonce/-Signature over the raw body (§3): the serial must
 * name our key (certificate serials compare case-insensitively), the timestamp must be within
 * ±300 s of `nowSec`, and the signature must verify.
 */
export function verifySigned(headers: HeaderBag, rawBody: string, key: TrustedKey, nowSec: number): SignatureVerdict {
  const [serial, timestamp, nonce, signature] = [
    'wechatpay-serial',
    'wechatpay-timestamp',
    'wechatpay-nonce',
    'wechatpay-signature',
  ].map((n) => headerValue(headers, n));
  if (!serial && !timestamp && !nonce && !signature)
    return { valid: false, missing: true, reason: 'signature headers missing' };
  if (!serial || !timestamp || !nonce || !signature)
    return { valid: false, missing: false, reason: 'signature headers incomplete' };
  if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) return { valid: false, missing: false, reason: 'signature probe' };
  if (serial.toUpperCase() !== key.keyId.toUpperCase())
    return { valid: false, missing: false, reason: `signed by unknown key ${serial}` };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSec - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
    return { valid: false, missing: false, reason: 'Wechatpay-Timestamp more than 300 s away' };
  }
  if (!rsaVerify(responseMessage(timestamp, nonce, rawBody), signature, key.publicKeyPem))
    return { valid: false, missing: false, reason: 'Wechatpay-Signature did not verify' };
  return { valid: true };
}

/** AEAD_AES_256_GCM with the APIv3 key as raw bytes; the ciphertext carries the 16-byte tag at its end (§4.2). */
export function decryptResource(
  apiV3Key: string,
  nonce: string,
  associatedData: string,
  ciphertextBase64: string,
): string {
  const data = Buffer.from(ciphertextBase64, 'base64');
  if (data.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/** The inverse of decryptResource (the simulator encrypts notifications with it). */
export function encryptResource(apiV3Key: string, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}
