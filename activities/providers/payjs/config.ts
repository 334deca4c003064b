/** PAYJS configuration: its environment variables and the config the adapter is built from. */
import { positive, text, url } from '../../../platform/env.js';
import type { ConfigOf, ProviderEnv } from '../descriptor.js';

const variables = {
  PAYJS_MCHID: text.optional(),
  PAYJS_KEY: text.optional(),
  PAYJS_BASE_URL: url.default('https://payjs.cn'),
  PAYJS_MAX_RPS: positive.default(2),
};

export const payjsEnv = {
  variables,
  required: ['PAYJS_MCHID', 'PAYJS_KEY'],
  optional: [],
  merchantVariable: 'PAYJS_MCHID',
  build: (v) => ({ mchid: v.PAYJS_MCHID!, key: v.PAYJS_KEY!, baseUrl: v.PAYJS_BASE_URL, maxRps: v.PAYJS_MAX_RPS }),
} satisfies ProviderEnv<typeof variables, { mchid: string; key: string; baseUrl: string; maxRps: number }>;

export type PayjsConfig = ConfigOf<typeof payjsEnv>;
