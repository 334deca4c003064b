/**
 * PAYJS answer bodies: JSON with `return_code` and a `sign` over every other field (docs/providers/payjs.md §2, §5),
 * canonicalised as the `answerCanonicalisation` setting says (§2.5).
 * Refusals are signed too when the merchant is known (§8 Q9: most plausible reading); an unknown
 * merchant number gets an unsigned refusal, as there is no key to sign it with.
 */
import type { SimReply } from '../../respond.js';
import { payjsSandboxSettings } from './settings.js';
import { simSign, simSignPythonDemo, type PayjsFields } from './signing.js';

/** JSON as PHP's json_encode writes it: non-ASCII as \uXXXX escapes. */
const phpJson = (body: PayjsFields): string =>
  JSON.stringify(body).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export interface PayjsReplies {
  ok(body: PayjsFields): SimReply;
  /** return_code 0 with PAYJS's message; `signed: false` when the merchant is unknown. */
  refuse(message: string, options?: { signed?: boolean; extra?: PayjsFields }): SimReply;
  /** answer()'s `sign` hook: signs 200 JSON bodies, or mis-signs them for the bad_signature fault. */
  sign(reply: SimReply, options: { corrupt: boolean }): SimReply;
  /** PAYJS's "try again later" (no documented in-progress answer: a busy refusal is the closest, §8 Q5). */
  busy(): SimReply;
  rateLimited(): SimReply;
  serverError(): SimReply;
}

export function payjsReplies(key: string): PayjsReplies {
  const unsigned = new WeakSet<SimReply>();
  const ok = (body: PayjsFields): SimReply => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: phpJson(body),
  });
  return {
    ok,
    refuse(message, { signed = true, extra = {} } = {}) {
      const reply = ok({ return_code: 0, return_msg: message, ...extra });
      if (!signed) unsigned.add(reply);
      return reply;
    },
    sign(reply, { corrupt }) {
      if (reply.status !== 200 || !reply.body || unsigned.has(reply)) return reply;
      const body = JSON.parse(reply.body) as PayjsFields;
      const signWith = payjsSandboxSettings.answerCanonicalisation === 'python-demo' ? simSignPythonDemo : simSign;
      // A corrupt signature is a real MD5 under another key: right shape, wrong value.
      body.sign = signWith(body, corrupt ? `${key}-tampered` : key);
      return { ...reply, body: phpJson(body) };
    },
    busy: () => ok({ return_code: 0, return_msg: '系统繁忙，请稍后再试' }),
    rateLimited: () => ({
      status: 429,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>429 Too Many Requests</h1></body></html>',
    }),
    serverError: () => ({
      status: 500,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>500 Internal Server Error</h1></body></html>',
    }),
  };
}
