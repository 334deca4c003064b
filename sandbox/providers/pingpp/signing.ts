/**
 * The simulator's own Ping++ RSA (docs/providers/pingpp.md §2, §3), written apart from the adapter's signer so each
 * is checked against the documented vectors rather than only against the other.
 */
import { createSign, createVerify } from 'node:crypto';
import { privateKeyObject, publicKeyObject } from '../../../platform/key-objects.js';

/** Ping++'s side of a request signature: raw body + the request-target exactly as received + timestamp. */
export function verifyRequestSignature(
  rawBody: string,
  requestTarget: string,
  timestamp: string,
  signature: string,
  merchantPublicKeyPem: string,
): boolean {
  try {
    return createVerify('RSA-SHA256')
      .update(`${rawBody}${requestTarget}${timestamp}`, 'utf8')
      .verify(publicKeyObject(merchantPublicKeyPem), signature, 'base64');
  } catch {
    return false;
  }
}

/** X-Pingplusplus-Signature over the exact bytes sent (responses and webhooks). */
export function signBody(body: string, platformPrivateKeyPem: string): string {
  return createSign('RSA-SHA256').update(body, 'utf8').sign(privateKeyObject(platformPrivateKeyPem), 'base64');
}
