/**
 * Ping++ webhooks (docs/providers/pingpp.md §3): the vectors and the simulator's own events verify with
 * verifyPingppNotification; tampered, forged, unsigned (test mode) and unconfigured ones do not. The delivery over
 * HTTP, verified and acknowledged once, is a case of the shared contract suite (../contract/suite.ts).
 */
import { PINGPP_NOTICE_ACK, verifyPingppNotification } from '../../../../activities/providers/pingpp/index.js';
import {
  pingppSandboxSettings as settings,
  pingppSimulator,
  resetPingppSandboxSettings,
} from '../../../../sandbox/providers/pingpp/index.js';
import type { PingppConfig } from '../../../../activities/providers/pingpp/config.js';
import { createSandboxOrder } from '../../../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { MERCHANT_PUBLIC, PLATFORM_PUBLIC, SDK_EXAMPLE_PUBLIC, SDK_EXAMPLE_WEBHOOK, VECTORS } from './vectors.js';

/** `null`: no Ping++ public key configured. */
const config = (key: string | null = PLATFORM_PUBLIC): PingppConfig => ({
  apiKey: 'sk_test_x',
  baseUrl: 'https://api.pingxx.com',
  maxRps: 10,
  appId: 'app_configured',
  webhookPublicKeyPem: key ?? undefined,
  verifyResponses: key !== null,
});

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(() => resetPingppSandboxSettings());

describe('vectors', () => {
  it('the fixture refund.succeeded event → a refunded notice for the charge order', () => {
    const { raw_body, x_pingplusplus_signature } = VECTORS.webhook;
    expect(
      verifyPingppNotification(config(), raw_body, { 'x-pingplusplus-signature': x_pingplusplus_signature }),
    ).toEqual({
      ok: true,
      notice: {
        provider: 'pingpp',
        merchantId: 'app_configured',
        orderId: '149569419725834',
        providerOrderId: 'ch_injTG4KGWPePS88WPGPyfzz5',
        event: 'refunded',
      },
    });
  });

  it("Ping++'s SDK example charge.succeeded event → a paid notice; header names are case-insensitive", () => {
    expect(
      verifyPingppNotification(config(SDK_EXAMPLE_PUBLIC), SDK_EXAMPLE_WEBHOOK.raw_body, {
        'X-Pingplusplus-Signature': [SDK_EXAMPLE_WEBHOOK.signature],
      }),
    ).toEqual({
      ok: true,
      notice: {
        provider: 'pingpp',
        merchantId: 'app_vcPcqDeS88ixrPlu',
        orderId: '2015d019f7cf6c0d',
        providerOrderId: 'ch_bq9IHKnn6GnLzsS0swOujr4x',
        event: 'paid',
      },
    });
  });

  it.each([
    [
      'a changed byte',
      VECTORS.webhook.raw_body.replace('"amount":1', '"amount":2'),
      VECTORS.webhook.x_pingplusplus_signature,
      PLATFORM_PUBLIC,
      'did not verify',
    ],
    [
      're-serialised JSON',
      JSON.stringify(JSON.parse(VECTORS.webhook.raw_body), null, 2),
      VECTORS.webhook.x_pingplusplus_signature,
      PLATFORM_PUBLIC,
      'did not verify',
    ],
    [
      'another key',
      VECTORS.webhook.raw_body,
      VECTORS.webhook.x_pingplusplus_signature,
      MERCHANT_PUBLIC,
      'did not verify',
    ],
    ['an empty signature (test mode)', VECTORS.webhook.raw_body, '', PLATFORM_PUBLIC, 'missing or empty'],
    ['no signature header', VECTORS.webhook.raw_body, undefined, PLATFORM_PUBLIC, 'missing or empty'],
    [
      'no Ping++ public key configured',
      VECTORS.webhook.raw_body,
      VECTORS.webhook.x_pingplusplus_signature,
      null,
      'not configured',
    ],
  ])('%s is refused', (_name, body, signature, key, reason) => {
    const headers = signature === undefined ? {} : { 'x-pingplusplus-signature': signature };
    expect(verifyPingppNotification(config(key), body, headers)).toEqual({
      ok: false,
      reason: expect.stringContaining(reason),
    });
  });
});

describe('simulator events', () => {
  const paidOrder = async () => {
    const o = await createSandboxOrder(sb, { provider: 'pingpp', state: 'paid', amount: 1234, payType: 'wx_pub_qr' });
    return sb.sandbox.ctx.store.findByOrderId('pingpp', o.orderId)!;
  };

  it('a charge.succeeded event the sandbox signs verifies, naming the app, order_no and charge', async () => {
    const order = await paidOrder();
    const n = pingppSimulator.paymentNotification(order, sb.sandbox.ctx);
    expect(JSON.parse(n.body)).toMatchObject({
      object: 'event',
      type: 'charge.succeeded',
      livemode: true,
      data: { object: { id: order.providerOrderId, paid: true, amount: 1234 } },
    });
    expect(verifyPingppNotification(sb.config.providers.pingpp!, n.body, n.headers)).toEqual({
      ok: true,
      notice: {
        provider: 'pingpp',
        merchantId: order.merchantId,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'paid',
      },
    });
    expect(verifyPingppNotification(sb.config.providers.pingpp!, n.body.replace('{', '{ '), n.headers)).toMatchObject({
      ok: false,
    });
  });

  it('in test mode the sandbox sends the header empty, as Ping++ does — and it is refused', async () => {
    settings.webhookMode = 'test';
    const n = pingppSimulator.paymentNotification(await paidOrder(), sb.sandbox.ctx);
    expect(n.headers['x-pingplusplus-signature']).toBe('');
    expect(JSON.parse(n.body).livemode).toBe(false);
    expect(verifyPingppNotification(sb.config.providers.pingpp!, n.body, n.headers)).toMatchObject({ ok: false });
  });

  it('signed events that are not JSON, not events or name no order are refused', async () => {
    const { signBody } = await import('../../../../sandbox/providers/pingpp/signing.js');
    const key = sb.sandbox.ctx.credentials.pingpp.platformPrivateKeyPem;
    const signed = (body: string) =>
      verifyPingppNotification(sb.config.providers.pingpp!, body, { 'x-pingplusplus-signature': signBody(body, key) });
    expect(signed('not json')).toEqual({ ok: false, reason: 'body is not JSON' });
    expect(signed('{"id":"evt_1","object":"charge"}')).toEqual({ ok: false, reason: 'body is not a Ping++ event' });
    expect(
      signed(
        '{"id":"evt_1","object":"event","type":"summary.daily.available","data":{"object":{"id":"sum_1","object":"summary"}}}',
      ),
    ).toEqual({ ok: false, reason: expect.stringContaining('names no order') });
    expect(
      signed(
        '{"id":"evt_1","object":"event","type":"charge.closed","data":{"object":{"id":"ch_1","order_no":"O1","app":{"id":"app_1"}}}}',
      ),
    ).toEqual({
      ok: true,
      notice: { provider: 'pingpp', merchantId: 'app_1', orderId: 'O1', providerOrderId: 'ch_1', event: 'other' },
    });
  });

  it('the ack is any 2xx: the sandbox treats 200 "ok" as received and a 500 as not', async () => {
    const n = pingppSimulator.paymentNotification(await paidOrder(), sb.sandbox.ctx);
    expect(n.isAck(PINGPP_NOTICE_ACK.status, PINGPP_NOTICE_ACK.body)).toBe(true);
    expect(n.isAck(204, '')).toBe(true);
    expect(n.isAck(500, 'ok')).toBe(false);
    expect(n.isAck(401, '')).toBe(false);
  });
});
