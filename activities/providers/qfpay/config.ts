/** QFPay configuration: its environment variables and the config the adapter is built from. */
import { z } from 'zod';
import { positive, text, url } from '../../../platform/env.js';
import type { ProviderEnv } from '../descriptor.js';

const variables = {
  QFPAY_APP_CODE: text.optional(),
  QFPAY_CLIENT_KEY: text.optional(),
  QFPAY_MCHID: text.optional(),
  QFPAY_SIGN_TYPE: z.enum(['MD5', 'SHA256']).default('SHA256'),
  QFPAY_BASE_URL: url.default('https://openapi-hk.qfapi.com'),
  QFPAY_MAX_RPS: positive.default(6),
};

export interface QfpayConfig {
  appCode: string;
  clientKey: string;
  /** Set for agents acting for several merchants; orders must then name this mchid. */
  mchid?: string;
  signType: 'MD5' | 'SHA256';
  baseUrl: string;
  maxRps: number;
}

export const qfpayEnv = {
  variables,
  required: ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY'],
  optional: ['QFPAY_MCHID'],
  merchantVariable: 'QFPAY_MCHID',
  build: (v): QfpayConfig => ({
    appCode: v.QFPAY_APP_CODE!,
    clientKey: v.QFPAY_CLIENT_KEY!,
    mchid: v.QFPAY_MCHID,
    signType: v.QFPAY_SIGN_TYPE,
    baseUrl: v.QFPAY_BASE_URL,
    maxRps: v.QFPAY_MAX_RPS,
  }),
} satisfies ProviderEnv<typeof variables, QfpayConfig>;

