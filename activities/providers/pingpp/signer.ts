/**
 * Ping++ RSA-SHA256 signatures (pingpp.md §2, §3). Requests: raw body + request URI (path and
 * query, exactly as sent) + Unix timestamp, no separators. Webhooks and (optionally) responses:
 * the raw body bytes. Base64, PKCS#1 v1.5.
 */
import { createSign, createVerify } from 'node:crypto';

export const requestStringToSign = (rawBody: string, requestUri: string, timestamp: number | string): string => `${rawBody}${requestUri}${timestamp}`;

export function rsaSign(data: string | Buffer, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(data).sign(privateKeyPem, 'base64');
}

export function rsaVerify(data: string | Buffer, signature: string | undefined, publicKeyPem: string): boolean {
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(data).verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}
