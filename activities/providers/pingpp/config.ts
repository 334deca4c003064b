/** Ping++ configuration: its environment variables, key files and config. */
import { bool, positive, text, url } from '../../../platform/env.js';
import { readPrivateKeyVariable, readPublicKeyVariable } from '../../../platform/keys.js';
import type { ProviderEnv } from '../descriptor.js';

const variables = {
  PINGPP_API_KEY: text.optional(),
  PINGPP_APP_ID: text.optional(),
  // Turns on RSA request signing.
  PINGPP_PRIVATE_KEY_PATH: text.optional(),
  PINGPP_WEBHOOK_PUBLIC_KEY_PATH: text.optional(),
  // Whether API answers must carry a valid X-Pingplusplus-Signature (checked with the same Ping++
  // public key). Default: yes once the key is set. Whether the live API signs every answer is
  // unconfirmed (docs/providers/pingpp.md §3.1): if it does not, answers stay untrusted until this is false.
  PINGPP_VERIFY_RESPONSES: bool.optional(),
  PINGPP_BASE_URL: url.default('https://api.pingxx.com'),
  PINGPP_MAX_RPS: positive.default(10),
};

export interface PingppConfig {
  apiKey: string;
  appId?: string;
  privateKeyPem?: string;
  webhookPublicKeyPem?: string;
  /** Require signed API answers (needs webhookPublicKeyPem). */
  verifyResponses: boolean;
  baseUrl: string;
  maxRps: number;
}

export const pingppEnv = {
  variables,
  required: ['PINGPP_API_KEY'],
  optional: ['PINGPP_APP_ID', 'PINGPP_PRIVATE_KEY_PATH', 'PINGPP_WEBHOOK_PUBLIC_KEY_PATH', 'PINGPP_VERIFY_RESPONSES'],
  merchantVariable: 'PINGPP_APP_ID',
  build: (v, problems): PingppConfig | undefined => {
    if (v.PINGPP_VERIFY_RESPONSES && !v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH) {
      problems.push(
        'PINGPP_VERIFY_RESPONSES: answers are verified with the Ping++ public key: set PINGPP_WEBHOOK_PUBLIC_KEY_PATH too',
      );
    }
    return {
      apiKey: v.PINGPP_API_KEY!,
      appId: v.PINGPP_APP_ID,
      // Parsed now: a key that cannot sign or verify is a problem naming its variable, not a failing worker.
      privateKeyPem: readPrivateKeyVariable('PINGPP_PRIVATE_KEY_PATH', v.PINGPP_PRIVATE_KEY_PATH, problems),
      webhookPublicKeyPem: readPublicKeyVariable(
        'PINGPP_WEBHOOK_PUBLIC_KEY_PATH',
        v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH,
        problems,
      ),
      verifyResponses: v.PINGPP_VERIFY_RESPONSES ?? Boolean(v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH),
      baseUrl: v.PINGPP_BASE_URL,
      maxRps: v.PINGPP_MAX_RPS,
    };
  },
} satisfies ProviderEnv<typeof variables, PingppConfig>;
