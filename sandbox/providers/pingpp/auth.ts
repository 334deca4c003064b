/**
 * Who may call (docs/providers/pingpp.md §1–§2): the API key as HTTP Basic user name or as a Bearer token, and
 * the optional RSA request signature over raw body + request-target + timestamp. A signature that
 * is sent is always verified; with request signing switched on for the app, a POST must carry one.
 * The exact refusal for a bad signature is [UNCONFIRMED] (§2.2): a 401 invalid_request_error.
 */
import type { FastifyRequest } from 'fastify';
import type { SimReply } from '../../respond.js';
import { failure } from './replies.js';
import { pingppSandboxSettings as settings } from './settings.js';
import { verifyRequestSignature } from './signing.js';

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The API key the request presents, or undefined. */
export function presentedKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(0, colon);
  }
  return undefined;
}

/** The refusal for this request, or undefined when it may proceed. */
export function refuseRequest(req: FastifyRequest, apiKey: string, merchantPublicKeyPem: string): SimReply | undefined {
  const key = presentedKey(req.headers.authorization);
  if (!key)
    return failure(
      401,
      'invalid_request_error',
      'No API key provided. Use HTTP Basic auth with the API key as user name, or Authorization: Bearer <API key>',
    );
  if (key !== apiKey) return failure(401, 'invalid_request_error', 'Invalid API key provided');

  const signature = one(req.headers['pingplusplus-signature']);
  if (!signature) {
    if (req.method === 'POST' && settings.requireSignedWrites)
      return failure(
        401,
        'invalid_request_error',
        'Request signature is required for this app: send Pingplusplus-Signature',
      );
    return undefined;
  }
  const timestamp = one(req.headers['pingplusplus-request-timestamp']);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return failure(
      401,
      'invalid_request_error',
      'Pingplusplus-Request-Timestamp is missing or invalid: cannot verify the request signature',
    );
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > settings.timestampSkewSec)
    return failure(
      401,
      'invalid_request_error',
      'Pingplusplus-Request-Timestamp is too far from now: request signature rejected',
    );
  const raw = typeof req.body === 'string' ? req.body : '';
  if (!verifyRequestSignature(raw, req.url, timestamp, signature, merchantPublicKeyPem))
    return failure(401, 'invalid_request_error', 'Request signature verification failed (Pingplusplus-Signature)');
  return undefined;
}
