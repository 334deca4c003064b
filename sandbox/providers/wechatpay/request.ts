/**
 * Reading and authenticating a WeChat Pay v3 request (docs/providers/wechatpay.md §2, §9): the
 * Authorization header of the service provider, its merchant certificate serial, a timestamp within
 * five minutes, and the signature over the method, the raw request-target as received (query
 * included; /wechatpay/v3/... under the prefix, /v3/... at the root) and the raw body.
 */
import type { FastifyRequest } from 'fastify';
import type { SandboxCredentials } from '../../credentials.js';
import type { SimReply } from '../../respond.js';
import type { WechatReplies } from './replies.js';
import { wechatpaySandboxSettings as settings } from './settings.js';
import { simParseAuthorization, simVerifyRequest } from './signing.js';

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export const rawBody = (req: FastifyRequest): string => (typeof req.body === 'string' ? req.body : '');

/** Check who is calling; returns the refusal, or undefined when the request may proceed. */
export function refuseCaller(
  req: FastifyRequest,
  account: SandboxCredentials['wechatpay'],
  r: WechatReplies,
): SimReply | undefined {
  const auth = simParseAuthorization(header(req, 'authorization'));
  if (!auth) return r.signError('Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
  if (auth.mchid !== account.spMchid) return r.signError('Http头Authorization中的mchid与商户证书不匹配');
  if (auth.serial_no !== account.merchantSerial)
    return r.signError('商户证书序列号有误。请使用签名私钥匹配的证书序列号');
  const skew = Math.abs(settings.now().getTime() / 1000 - Number(auth.timestamp));
  if (!/^\d{1,12}$/.test(auth.timestamp) || skew > 300)
    return r.signError('Http头Authorization中的timestamp与发起请求的时间不得超过5分钟');
  if (!simVerifyRequest(req.method, req.url, auth, rawBody(req), account.merchantPublicKeyPem))
    return r.signError('错误的签名，验签失败');
  // Optional: the WeChat Pay key the caller holds; one we do not have is refused (§2.4).
  const declared = header(req, 'wechatpay-serial');
  if (declared !== undefined && declared !== account.platformKeyId)
    return r.error(400, 'INVALID_REQUEST', 'Wechatpay-Serial对应的微信支付公钥或平台证书不存在');
  return undefined;
}

/** A POST's JSON object, or undefined when the body is not one. */
export function readJson(req: FastifyRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody(req));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A query parameter given exactly once, or undefined. */
export function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
