/**
 * WeChat Pay answer shapes (docs/providers/wechatpay.md §3, §7): JSON bodies or an empty 204, error
 * bodies `{code, message}`, a Request-ID on everything, and the Wechatpay-* signature headers on
 * every answer to a request whose signature was accepted. A 401 SIGN_ERROR goes out unsigned.
 */
import type { SandboxCredentials } from '../../credentials.js';
import type { SimReply } from '../../respond.js';
import { wechatpaySandboxSettings as settings } from './settings.js';
import { simSignAnswer } from './signing.js';
import { newNonce, newRequestId } from './views.js';

export interface WechatReplies {
  json(status: number, body: Record<string, unknown>): SimReply;
  noContent(): SimReply;
  error(status: number, code: string, message: string, detail?: Record<string, unknown>): SimReply;
  /** The refusal of a request signature: not signed, since WeChat signs only accepted requests (§3.5). */
  signError(message: string): SimReply;
  /** answer()'s `sign` hook: signs (or, for the bad_signature fault, mis-signs) the answer. */
  sign(reply: SimReply, options: { corrupt: boolean }): SimReply;
  rateLimited(): SimReply;
  serverError(): SimReply;
}

export function wechatpayReplies(account: SandboxCredentials['wechatpay']): WechatReplies {
  const unsigned = new WeakSet<SimReply>();
  const json = (status: number, body: Record<string, unknown>): SimReply => ({
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  const error = (status: number, code: string, message: string, detail?: Record<string, unknown>): SimReply =>
    json(status, detail ? { code, message, detail } : { code, message });
  return {
    json,
    noContent: () => ({ status: 204, headers: {}, body: '' }),
    error,
    signError(message) {
      const reply = error(401, 'SIGN_ERROR', message);
      unsigned.add(reply);
      return reply;
    },
    sign(reply, { corrupt }) {
      const headers: Record<string, string> = { ...reply.headers, 'Request-ID': newRequestId() };
      if (unsigned.has(reply) || (reply.status >= 300 && !settings.signErrors)) return { ...reply, headers };
      const timestamp = String(Math.floor(settings.now().getTime() / 1000) + settings.answerClockOffsetSec);
      const nonce = newNonce();
      const body = reply.body ?? '';
      // A corrupt signature is a real signature of other bytes: right shape, wrong value.
      const signature = simSignAnswer(timestamp, nonce, corrupt ? `${body}\n` : body, account.platformPrivateKeyPem);
      return {
        ...reply,
        headers: {
          ...headers,
          'Wechatpay-Serial': account.platformKeyId,
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Signature': signature,
        },
      };
    },
    rateLimited: () => error(429, 'FREQUENCY_LIMITED', '你的操作过于频繁，请稍后再试。'),
    serverError: () => error(500, 'SYSTEM_ERROR', '系统错误'),
  };
}
