/** RESCIND_RATE_LIMIT_DATABASE_URL and the limit key of each configured provider. */
import { ConfigError, loadOrThrow } from '../../../../platform/env.js';
import { readProvidersConfig } from '../../../../activities/providers/index.js';
import { readSendLimitSettings } from '../../../../activities/providers/send-limit/config.js';
import { sendLimitsOf } from '../../../../activities/providers/send-limit/keys.js';
import { KNOWN_ENV_VARS } from '../../../../worker/config.js';

describe('RESCIND_RATE_LIMIT_DATABASE_URL', () => {
  it('is off when unset: the Temporal server limit only', () => {
    expect(loadOrThrow(readSendLimitSettings, {})).toEqual({ databaseUrl: undefined });
    expect(KNOWN_ENV_VARS).toContain('RESCIND_RATE_LIMIT_DATABASE_URL');
  });

  it('takes a postgres:// URL', () => {
    const databaseUrl = 'postgres://rescind:hunter2@db.internal:5432/rescind';
    expect(loadOrThrow(readSendLimitSettings, { RESCIND_RATE_LIMIT_DATABASE_URL: databaseUrl })).toEqual({
      databaseUrl,
    });
  });

  it('refuses anything else, naming the variable and what to set, without echoing the password', () => {
    let error: unknown;
    try {
      loadOrThrow(readSendLimitSettings, { RESCIND_RATE_LIMIT_DATABASE_URL: 'mysql://rescind:hunter2@db/rescind' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^RESCIND_RATE_LIMIT_DATABASE_URL: must be a postgres:\/\/ URL, or unset/),
    ]);
    expect((error as ConfigError).message).not.toContain('hunter2');
  });
});

describe('limit keys', () => {
  it('are the provider and the account it calls as (never a key), at its *_MAX_RPS', () => {
    const providers = loadOrThrow(readProvidersConfig, {
      PAYJS_MCHID: 'MCH-P',
      PAYJS_KEY: 'payjs-secret',
      QFPAY_APP_CODE: 'APP-Q',
      QFPAY_CLIENT_KEY: 'qfpay-secret',
      QFPAY_MAX_RPS: '4',
      PINGPP_API_KEY: 'sk_test_secret',
    });
    expect(sendLimitsOf(providers)).toEqual({
      payjs: { key: 'payjs:MCH-P', ratePerSecond: 2 },
      qfpay: { key: 'qfpay:APP-Q', ratePerSecond: 4 },
      // Without PINGPP_APP_ID there is no account to tell apart: the provider's one budget.
      pingpp: { key: 'pingpp', ratePerSecond: 10 },
    });
  });
});
