/** WeChat Pay v3 partner-mode configuration: its environment variables, key files and config. */
import { positive, text, url } from '../../../platform/env.js';
import { readPrivateKeyVariable, readPublicKeyVariable } from '../../../platform/keys.js';
import type { ProviderEnv } from '../descriptor.js';

const variables = {
  WECHATPAY_SP_MCHID: text.optional(),
  WECHATPAY_SP_APPID: text.optional(),
  WECHATPAY_MERCHANT_SERIAL: text.optional(),
  WECHATPAY_PRIVATE_KEY_PATH: text.optional(),
  // The PUB_KEY_ID_… of the WeChat Pay public key, or the platform certificate's serial.
  WECHATPAY_PLATFORM_KEY_ID: text.optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: text.optional(),
  WECHATPAY_APIV3_KEY: text.length(32, 'must be exactly 32 characters').optional(),
  WECHATPAY_BASE_URL: url.default('https://api.mch.weixin.qq.com'),
  WECHATPAY_MAX_RPS: positive.default(20),
};

export interface WechatpayConfig {
  spMchid: string;
  spAppid?: string;
  merchantSerial: string;
  privateKeyPem: string;
  platformKeyId: string;
  platformPublicKeyPem: string;
  apiV3Key: string;
  baseUrl: string;
  maxRps: number;
}

export const wechatpayEnv = {
  variables,
  required: [
    'WECHATPAY_SP_MCHID',
    'WECHATPAY_MERCHANT_SERIAL',
    'WECHATPAY_PRIVATE_KEY_PATH',
    'WECHATPAY_PLATFORM_KEY_ID',
    'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH',
    'WECHATPAY_APIV3_KEY',
  ],
  optional: ['WECHATPAY_SP_APPID'],
  // Partner mode has one merchant per sub-merchant: callers always name it.
  merchantVariable: undefined,
  build: (v, problems): WechatpayConfig | undefined => {
    // Parsed now: a key that cannot sign or verify is a problem naming its variable, not a failing worker.
    const privateKeyPem = readPrivateKeyVariable('WECHATPAY_PRIVATE_KEY_PATH', v.WECHATPAY_PRIVATE_KEY_PATH, problems);
    const platformPublicKeyPem = readPublicKeyVariable(
      'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH',
      v.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH,
      problems,
    );
    if (!privateKeyPem || !platformPublicKeyPem || !v.WECHATPAY_APIV3_KEY) return undefined;
    return {
      spMchid: v.WECHATPAY_SP_MCHID!,
      spAppid: v.WECHATPAY_SP_APPID,
      merchantSerial: v.WECHATPAY_MERCHANT_SERIAL!,
      privateKeyPem,
      platformKeyId: v.WECHATPAY_PLATFORM_KEY_ID!,
      platformPublicKeyPem,
      apiV3Key: v.WECHATPAY_APIV3_KEY,
      baseUrl: v.WECHATPAY_BASE_URL,
      maxRps: v.WECHATPAY_MAX_RPS,
    };
  },
} satisfies ProviderEnv<typeof variables, WechatpayConfig>;
