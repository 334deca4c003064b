/**
 * Ping++ RSA-SHA256 (PKCS#1 v1.5, base64) signatures, pure and without I/O (docs/providers/pingpp.md §2, §3).
 *
 * Requests: raw body + request URI (path and query exactly as sent, so a trailing "?" counts) +
 * the Unix-seconds timestamp of `Pingplusplus-Request-Timestamp`, with no separators; GETs sign an
 * empty body. Webhooks and API responses: the raw body bytes, never a re-serialisation.
 */
import { createSign, createVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from '../../../platform/key-objects.js';

/** The string Ping++ verifies for a request (docs/providers/pingpp.md §2.1). */
export function requestStringToSign(rawBody: string, requestUri: string, timestamp: number | string): string {
  return `${rawBody}${requestUri}${timestamp}`;
}

/** Sign text or bytes with the merchant's private key (any PEM RSA key). */
export function rsaSign(data: string | Buffer, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(data).sign(privateKeyObject(privateKeyPem), 'base64');
}

/** Verify a base64 RSA-SHA256 signature; a missing, malformed or wrong signature is `false`. */
export function rsaVerify(data: string | Buffer, signature: string | undefined, publicKeyPem: string): boolean {
  if (!signature) return false;
  try {
    return createVerify('RSA-SHA256').update(data).verify(publicKeyObject(publicKeyPem), signature, 'base64');
  } catch {
    return false;
  }
}

/** The headers a signed request carries (docs/providers/pingpp.md §2.2). */
export function signatureHeaders(
  rawBody: string,
  requestUri: string,
  timestamp: number,
  privateKeyPem: string,
): Record<string, string> {
  return {
    'pingplusplus-request-timestamp': String(timestamp),
    'pingplusplus-signature': rsaSign(requestStringToSign(rawBody, requestUri, timestamp), privateKeyPem),
  };
}
