import { loadConfig, ConfigError } from '../../worker/config.js';
import { sandboxWorkerEnv } from '../../sandbox/worker-env.js';
import { FIXTURE_KEYS } from '../helpers/sandbox.js';

/** The message of the ConfigError `load` throws; fails the test if it does not throw. */
function problemsOf(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      apiKey: undefined,
      tls: undefined,
    });
    expect(config.taskQueue).toBe('rescind');
    expect(config.providers).toEqual({});
  });

  it('loads all four providers from the sandbox environment, reading key files', () => {
    const config = loadConfig(sandboxWorkerEnv('http://127.0.0.1:4100', FIXTURE_KEYS));
    expect(Object.keys(config.providers).sort()).toEqual(['payjs', 'pingpp', 'qfpay', 'wechatpay']);
    expect(config.providers.wechatpay?.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(config.providers.qfpay?.baseUrl).toBe('http://127.0.0.1:4100/qfpay');
  });

  it('names every missing variable of a half-configured provider', () => {
    const message = problemsOf(() => loadConfig({ WECHATPAY_SP_MCHID: '123', PAYJS_KEY: 'k' }));
    expect(message).toContain('WECHATPAY_APIV3_KEY: required once wechatpay is configured');
    expect(message).toContain('PAYJS_MCHID: required once payjs is configured');
  });

  it('rejects bad values and never echoes a secret', () => {
    const secret = 'x'.repeat(31);
    const message = problemsOf(() => loadConfig({ RESCIND_API_PORT: 'eighty', WECHATPAY_APIV3_KEY: secret }));
    expect(message).toMatch(/RESCIND_API_PORT: .*"eighty"/);
    expect(message).toContain('WECHATPAY_APIV3_KEY: must be exactly 32 characters (got 31 characters)');
    expect(message).not.toContain(secret);
  });

  it('verifies Ping++ answers once its public key is set, unless PINGPP_VERIFY_RESPONSES=false', () => {
    const env = sandboxWorkerEnv('http://127.0.0.1:4100', FIXTURE_KEYS);
    expect(loadConfig(env).providers.pingpp?.verifyResponses).toBe(true);
    expect(loadConfig({ ...env, PINGPP_VERIFY_RESPONSES: 'false' }).providers.pingpp).toMatchObject({
      verifyResponses: false,
      webhookPublicKeyPem: expect.stringContaining('PUBLIC KEY'),
    });
    expect(loadConfig({ PINGPP_API_KEY: 'sk_test_x' }).providers.pingpp?.verifyResponses).toBe(false);
    expect(problemsOf(() => loadConfig({ PINGPP_API_KEY: 'sk_test_x', PINGPP_VERIFY_RESPONSES: 'true' }))).toContain(
      'PINGPP_VERIFY_RESPONSES: answers are verified with the Ping++ public key: set PINGPP_WEBHOOK_PUBLIC_KEY_PATH too',
    );
  });

  it('checks RESCIND_ORDER_SOURCE and hides a database password', () => {
    expect(loadConfig({ RESCIND_ORDER_SOURCE: 'postgres://app@db:5432/shop' }).reconcile.orderSource).toBe(
      'postgres://app@db:5432/shop',
    );
    const message = problemsOf(() => loadConfig({ RESCIND_ORDER_SOURCE: 'orders.json' }));
    expect(message).toContain('RESCIND_ORDER_SOURCE: must be file:<path> or a postgres:// URL (got "orders.json")');
    expect(problemsOf(() => loadConfig({ RESCIND_ORDER_SOURCE_UPDATE: 'UPDATE x SET y = $4' }))).toContain(
      'RESCIND_ORDER_SOURCE_QUERY / RESCIND_ORDER_SOURCE_UPDATE: they need a postgres:// RESCIND_ORDER_SOURCE',
    );
    expect(
      loadConfig({ RESCIND_ORDER_SOURCE: 'postgres://db/shop', RESCIND_ORDER_SOURCE_UPDATE: 'UPDATE x SET y = $4' })
        .reconcile.update,
    ).toBe('UPDATE x SET y = $4');
  });

  it('turns TLS on for an API key (Temporal Cloud)', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'abc',
    });
    expect(config.temporal.tls).toBeDefined();
    expect(config.temporal.apiKey).toBe('abc');
  });
});
