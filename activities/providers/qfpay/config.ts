/** QFPay configuration: its environment variables and the config the adapter is built from. */
import { z } from 'zod';
import { positive, text, url } from '../../../platform/env.js';
import type { ProviderEnv } from '../descriptor.js';

const variables = {
  QFPAY_APP_CODE: text.optional(),
  QFPAY_CLIENT_KEY: text.optional(),
  QFPAY_MCHID: text.optional(),
  QFPAY_SIGN_TYPE: z.enum(['MD5', 'SHA256']).default('SHA256'),
  // How answers are signed: the documents disagree (docs/providers/qfpay.md §2.2). Only this scheme is trusted.
  QFPAY_ANSWER_SIGNED_OVER: z.enum(['raw_body', 'sorted_fields']).default('raw_body'),
  QFPAY_ANSWER_SIGN_TYPE: z.enum(['MD5', 'SHA256']).default('MD5'),
  QFPAY_BASE_URL: url.default('https://openapi-hk.qfapi.com'),
  QFPAY_MAX_RPS: positive.default(6),
};

export interface QfpayConfig {
  appCode: string;
  clientKey: string;
  /** Set for agents acting for several merchants; orders must then name this mchid. */
  mchid?: string;
  signType: 'MD5' | 'SHA256';
  /** What an answer's X-QF-SIGN covers: the raw body (default) or the answer's fields sorted by name. */
  answerSignedOver: 'raw_body' | 'sorted_fields';
  /** The hash answers are signed with, whatever their X-QF-SIGNTYPE header says. */
  answerSignType: 'MD5' | 'SHA256';
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
    answerSignedOver: v.QFPAY_ANSWER_SIGNED_OVER,
    answerSignType: v.QFPAY_ANSWER_SIGN_TYPE,
    baseUrl: v.QFPAY_BASE_URL,
    maxRps: v.QFPAY_MAX_RPS,
  }),
} satisfies ProviderEnv<typeof variables, QfpayConfig>;
