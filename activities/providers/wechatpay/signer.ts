/**
 * WeChat Pay API v3 signatures (wechatpay-v3-partner.md §2–§4): WECHATPAY2-SHA256-RSA2048 request
 * signing over five lines, response/notification verification over three lines, and the
 * AEAD_AES_256_GCM resource encryption of notifications.
 */
import { createCipheriv, createDecipheriv, createSign, createVerify } from 'node:crypto';

export const SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** method \n request-target (path + query, as sent) \n timestamp \n nonce \n body \n */
export const requestMessage = (method: string, target: string, timestamp: number | string, nonce: string, body: string): string =>
  `${method}\n${target}\n${timestamp}\n${nonce}\n${body}\n`;

/** timestamp \n nonce \n body \n — the body exactly as received (empty for 204). */
export const responseMessage = (timestamp: number | string, nonce: string, body: string): string => `${timestamp}\n${nonce}\n${body}\n`;

export const rsaSign = (message: string, privateKeyPem: string): string => createSign('RSA-SHA256').update(message).sign(privateKeyPem, 'base64');

export function rsaVerify(message: string, signature: string | undefined, publicKeyPem: string): boolean {
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKeyPem, signature, 'base64');
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

export const authorizationHeader = (p: AuthorizationParams): string =>
  `${SCHEMA} mchid="${p.mchid}",nonce_str="${p.nonce_str}",signature="${p.signature}",timestamp="${p.timestamp}",serial_no="${p.serial_no}"`;

/** Parse an Authorization header (parameters in any order); undefined if it is not ours. */
export function parseAuthorization(header: string | undefined): AuthorizationParams | undefined {
  if (!header?.startsWith(`${SCHEMA} `)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  const { mchid, nonce_str, signature, timestamp, serial_no } = params;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** AEAD_AES_256_GCM with the APIv3 key; the ciphertext carries the 16-byte tag at its end. */
export function decryptResource(apiV3Key: string, nonce: string, associatedData: string, ciphertextBase64: string): string {
  const data = Buffer.from(ciphertextBase64, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

export function encryptResource(apiV3Key: string, nonce: string, associatedData: string, plaintext: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

/** Anti-replay window for signed responses and notifications (§3.3). */
export const MAX_CLOCK_SKEW_S = 300;
