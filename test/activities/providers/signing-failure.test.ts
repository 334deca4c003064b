/**
 * A key that cannot sign fails the call as a configuration failure (non-retryable, naming the
 * variable), never as a transient error retried forever. Keys are checked at start too; this is
 * the run-time guard for a key that passed that check but still cannot sign.
 */
import { FailureType, isProviderError } from '../../../activities/errors.js';
import { createPingppAdapter } from '../../../activities/providers/pingpp/index.js';
import { createWechatpayAdapter } from '../../../activities/providers/wechatpay/index.js';
import type { OrderRef } from '../../../domain/index.js';
import { PLATFORM_PUBLIC } from './wechatpay/fixtures.js';

// A PEM frame around bytes that are not a key (built up so no scanner mistakes it for a real key).
const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const GARBAGE_KEY = pem(['PRIVATE', 'KEY'].join(' '), 'bm90IGEga2V5');
// Nothing listens here: the call must fail before anything is sent.
const NOWHERE = 'http://127.0.0.1:9';

async function failureOf(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('a private key that cannot sign', () => {
  it('WeChat Pay: configuration failure naming WECHATPAY_PRIVATE_KEY_PATH', async () => {
    const adapter = createWechatpayAdapter({
      spMchid: '1230000109',
      merchantSerial: 'SERIAL',
      privateKeyPem: GARBAGE_KEY,
      platformKeyId: 'PUB_KEY_ID_1',
      platformPublicKeyPem: PLATFORM_PUBLIC,
      apiV3Key: 'k'.repeat(32),
      baseUrl: NOWHERE,
      maxRps: 1,
    });
    const order: OrderRef = { provider: 'wechatpay', merchantId: '1900000109', orderId: 'O1' };
    const err = await failureOf(() => adapter.queryOrder(order));
    expect(isProviderError(err) && err.type).toBe(FailureType.Configuration);
    expect(isProviderError(err) && err.retryable).toBe(false);
    expect((err as Error).message).toContain('WECHATPAY_PRIVATE_KEY_PATH');
  });

  it('Ping++: configuration failure naming PINGPP_PRIVATE_KEY_PATH', async () => {
    const adapter = createPingppAdapter({
      apiKey: 'sk_test_x',
      privateKeyPem: GARBAGE_KEY,
      verifyResponses: false,
      baseUrl: NOWHERE,
      maxRps: 1,
    });
    const order: OrderRef = { provider: 'pingpp', merchantId: 'app_1', orderId: 'O1', providerOrderId: 'ch_1' };
    const err = await failureOf(() => adapter.queryOrder(order));
    expect(isProviderError(err) && err.type).toBe(FailureType.Configuration);
    expect((err as Error).message).toContain('PINGPP_PRIVATE_KEY_PATH');
  });
});
