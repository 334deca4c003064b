/**
 * Reading and authenticating a QFPay request (docs/providers/qfpay.md §1, §2.1, §8): parameters from the form
 * body (or the query string of a GET), X-QF-APPCODE, X-QF-SIGNTYPE, X-QF-SIGN over exactly the
 * parameters received, the merchant's mchid, and the per-app-code rate limit.
 */
import type { FastifyRequest } from 'fastify';
import type { SimReply } from '../../respond.js';
import type { SandboxCredentials } from '../../credentials.js';
import type { QfpayReplies } from './replies.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { simVerifyRequest, type SimSignType } from './signing.js';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The request's parameters; undefined when a name repeats (the signed and read values could differ). */
export function readParams(req: FastifyRequest): Record<string, string> | undefined {
  const raw = req.method === 'GET' ? (req.url.split('?')[1] ?? '') : typeof req.body === 'string' ? req.body : '';
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (name in params) return undefined;
    params[name] = value;
  }
  return params;
}

/** The declared request signature type: absent means MD5; anything but MD5/SHA256 is unknown. */
export function declaredSignType(req: FastifyRequest): SimSignType | 'unknown' {
  const v = (header(req, 'x-qf-signtype') ?? 'MD5').trim().toUpperCase();
  return v === 'MD5' || v === 'SHA256' ? v : 'unknown';
}

/** Requests per app code within the last second and minute. */
export class RateWindow {
  private hits = new Map<string, number[]>();

  /** Count a request; false when it is over 100/s or 400/min. */
  admit(appCode: string, now: number): boolean {
    const recent = (this.hits.get(appCode) ?? []).filter((t) => now - t < 60_000);
    this.hits.set(appCode, recent);
    if (recent.length >= 400 || recent.filter((t) => now - t < 1_000).length >= 100) return false;
    recent.push(now);
    return true;
  }
}

/** Check who is calling; returns a refusal, or undefined when the request may proceed. */
export function refuseCaller(
  req: FastifyRequest,
  params: Record<string, string> | undefined,
  account: SandboxCredentials['qfpay'],
  replies: QfpayReplies,
  rates: RateWindow,
): SimReply | undefined {
  const appCode = header(req, 'x-qf-appcode');
  if (settings.rateLimit && !rates.admit(appCode ?? '', settings.now().getTime())) return replies.rateLimited();
  if (appCode !== account.appCode) return replies.error('1108', 'app_code不存在', { signed: false });
  if (!params) return replies.error('1104', '参数错误: 参数重复');
  const type = declaredSignType(req);
  if (type === 'unknown') return replies.error('1104', '参数错误: X-QF-SIGNTYPE');
  if (!simVerifyRequest(params, account.clientKey, type, header(req, 'x-qf-sign')))
    return replies.error('1108', '签名错误');
  // An issued mchid must be sent on every call (§1).
  if (params.mchid !== account.mchid)
    return replies.error('1104', params.mchid ? '参数错误: mchid不存在' : '参数错误: 缺少mchid');
  return undefined;
}
