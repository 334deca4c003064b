/**
 * Whose budget a request spends: the provider and the account it calls as, so two deployments
 * with different merchant accounts sharing one limiter database keep separate budgets. Only
 * identifiers that go on the wire in the clear (never a key) are used: they are stored in the table.
 */
import type { ProviderId } from '../../../domain/index.js';
import type { ProvidersConfig } from '../index.js';
import type { SendLimit } from './limiter.js';

type AccountOf = { [P in ProviderId]: (config: NonNullable<ProvidersConfig[P]>) => string | undefined };

// Every provider must say which account it calls as (a new provider fails to compile until it does).
const ACCOUNT: AccountOf = {
  payjs: (c) => c.mchid,
  qfpay: (c) => c.appCode,
  wechatpay: (c) => c.spMchid,
  pingpp: (c) => c.appId,
};

/** The limit of every configured provider: key `<provider>:<account>` (or the provider alone), rate its maxRps. */
export function sendLimitsOf(providers: ProvidersConfig): Partial<Record<ProviderId, SendLimit>> {
  const limits: Partial<Record<ProviderId, SendLimit>> = {};
  for (const provider of Object.keys(ACCOUNT) as ProviderId[]) {
    const config = providers[provider];
    if (!config) continue;
    const account = (ACCOUNT[provider] as (c: typeof config) => string | undefined)(config);
    limits[provider] = { key: account ? `${provider}:${account}` : provider, ratePerSecond: config.maxRps };
  }
  return limits;
}
