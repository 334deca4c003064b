/**
 * QFPay answer bodies: HTTP 200, JSON in Python json.dumps form, signed in the X-QF-SIGN header over the raw
 * body, or over the sorted fields when set so (docs/providers/qfpay.md §2.2). An answer to an unknown app code
 * cannot be signed (there is no key to sign it with) and goes out unsigned.
 */
import type { SimReply } from '../../respond.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { pythonJson, simSignBody, simSignSortedFields, type SimSignType } from './signing.js';

export interface QfpayReplies {
  json(body: Record<string, unknown>): SimReply;
  /** A refusal: `{respcd, resperr, respmsg}`; `signed: false` when the caller is unknown. */
  error(respcd: string, resperr: string, options?: { signed?: boolean }): SimReply;
  /** answer()'s `sign` hook: signs JSON answers, or mis-signs them for the bad_signature fault. */
  sign(reply: SimReply, options: { corrupt: boolean }): SimReply;
  rateLimited(): SimReply;
  serverError(): SimReply;
}

/** Replies for one request, signed with `signType` (MD5 unless the settings echo the request's). */
export function qfpayReplies(key: string, signType: SimSignType): QfpayReplies {
  const unsigned = new WeakSet<SimReply>();
  const json = (body: Record<string, unknown>): SimReply => ({
    status: 200,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: pythonJson(body),
  });
  const bare = (reply: SimReply): SimReply => {
    unsigned.add(reply);
    return reply;
  };
  return {
    json,
    error: (respcd, resperr, { signed = true } = {}) => {
      const reply = json({ respcd, resperr, respmsg: '' });
      return signed ? reply : bare(reply);
    },
    sign(reply, { corrupt }) {
      if (!reply.body || unsigned.has(reply)) return reply;
      // A corrupt signature is a real digest under another key: right shape, wrong value.
      const signingKey = corrupt ? `${key}-tampered` : key;
      const sign =
        settings.responseSignedOver === 'sorted_fields'
          ? simSignSortedFields(JSON.parse(reply.body) as Record<string, unknown>, signingKey, signType)
          : simSignBody(reply.body, signingKey, signType);
      const headers: Record<string, string> = { ...reply.headers, 'x-qf-sign': sign };
      if (signType === 'SHA256' && settings.declareResponseSignType) headers['x-qf-signtype'] = 'SHA256';
      return { ...reply, headers };
    },
    rateLimited: () =>
      bare({
        status: 429,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>',
      }),
    serverError: () =>
      bare({
        status: 500,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>',
      }),
  };
}
