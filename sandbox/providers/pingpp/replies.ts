/**
 * Ping++ answer shapes (docs/providers/pingpp.md §6): JSON objects on 2xx, `{"error":{type,message,code?,param?}}`
 * otherwise. 2xx bodies are signed in X-Pingplusplus-Signature with the platform key (§3.1).
 */
import type { SimReply } from '../../respond.js';
import { pingppSandboxSettings as settings } from './settings.js';
import { signBody } from './signing.js';

export type PingppErrorType = 'invalid_request_error' | 'api_error' | 'channel_error';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export const ok = (body: unknown): SimReply => ({ status: 200, headers: { ...JSON_TYPE }, body: JSON.stringify(body) });

export function failure(
  status: number,
  type: PingppErrorType,
  message: string,
  extra: { code?: string; param?: string } = {},
): SimReply {
  return { status, headers: { ...JSON_TYPE }, body: JSON.stringify({ error: { type, message, ...extra } }) };
}

/** answer()'s `sign` hook. A corrupt signature is a real one over other bytes: right shape, wrong value. */
export function signer(platformPrivateKeyPem: string) {
  return (reply: SimReply, { corrupt }: { corrupt: boolean }): SimReply => {
    if (reply.status < 200 || reply.status >= 300 || reply.body === undefined || !settings.signResponses) return reply;
    const signature = signBody(corrupt ? `${reply.body}\n` : reply.body, platformPrivateKeyPem);
    return { ...reply, headers: { ...reply.headers, 'x-pingplusplus-signature': signature } };
  };
}

export const rateLimited = (): SimReply =>
  failure(settings.rateLimitStatus, 'invalid_request_error', 'Too many requests, please slow down', {
    code: 'rate_limit_exceeded',
  });

export const serverError = (): SimReply => failure(500, 'api_error', 'Ping++ internal error, please retry later');

/** The channel answered that it is busy: nothing was applied (no documented code, §6.2 [UNCONFIRMED]). */
export const channelBusy = (code?: string): SimReply =>
  failure(402, 'channel_error', 'The channel is processing, please retry later', { code: code ?? 'channel_busy' });
