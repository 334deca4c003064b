/**
 * WeChat Pay notifications (docs/providers/wechatpay.md §4): the documented vector and the sandbox's
 * own notifications verify and decrypt; forged, tampered, stale, probing and mis-keyed ones do not.
 */
import { verifyWechatpayNotification, WECHATPAY_NOTICE_ACK } from '../../../../activities/providers/wechatpay/index.js';
import { encryptResource, responseMessage, rsaSign } from '../../../../activities/providers/wechatpay/signer.js';
import { sandboxWorkerEnv } from '../../../../sandbox/worker-env.js';
import {
  resetWechatpaySandboxSettings,
  wechatpayRefundNotification,
  wechatpaySandboxSettings,
  wechatpaySignatureProbe,
  wechatpaySimulator,
} from '../../../../sandbox/providers/wechatpay/index.js';
import { buildSandbox } from '../../../../sandbox/server.js';
import type { SandboxContext } from '../../../../sandbox/simulator.js';
import { loadConfig } from '../../../../worker/config.js';
import { FIXTURE_KEYS } from '../../../helpers/sandbox.js';
import { PLATFORM_PRIVATE, V, VECTOR_CONFIG } from './fixtures.js';
import { forgerPrivateKeyPem } from '../../../helpers/forger-key.js';

const E = V.E!;

describe('vector E (§4.4)', () => {
  const [ts, nonce] = E.sig_message!.split('\n') as [string, string];
  const headers = {
    'wechatpay-serial': V.D!.serial,
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': E.signature,
    'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
  };
  const at = new Date(Number(ts) * 1000);
  /** A notification body signed properly by the platform key, so only its content is wrong. */
  const signedBody = (body: string) => ({
    ...headers,
    'wechatpay-signature': rsaSign(responseMessage(ts, nonce, body), PLATFORM_PRIVATE),
  });

  it('verifies, decrypts and names the order', () => {
    expect(verifyWechatpayNotification(VECTOR_CONFIG, E.notify_body!, headers, at)).toEqual({
      ok: true,
      notice: {
        provider: 'wechatpay',
        merchantId: '1900000109',
        orderId: '1217752501201407033233368018',
        providerOrderId: '4200000985202103031441826014',
        event: 'paid',
      },
    });
  });

  it.each([
    [
      '301 s late',
      E.notify_body,
      headers,
      new Date(at.getTime() + 301_000),
      'Wechatpay-Timestamp more than 300 s away',
    ],
    [
      'a signature probe',
      E.notify_body,
      { ...headers, 'wechatpay-signature': `WECHATPAY/SIGNTEST/${E.signature}` },
      at,
      'signature probe',
    ],
    [
      'a tampered body',
      E.notify_body!.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCES5'),
      headers,
      at,
      'Wechatpay-Signature did not verify',
    ],
    ['no signature headers', E.notify_body, {}, at, 'signature headers missing'],
    [
      'another key id',
      E.notify_body,
      { ...headers, 'wechatpay-serial': 'PUB_KEY_ID_01123000010920219999999999999999' },
      at,
      expect.stringContaining('unknown key'),
    ],
  ])('refuses %s', (_what, body, h, when, reason) => {
    expect(verifyWechatpayNotification(VECTOR_CONFIG, body!, h as Record<string, string>, when)).toEqual({
      ok: false,
      reason,
    });
  });

  it('refuses a resource that does not open with our APIv3 key', () => {
    expect(
      verifyWechatpayNotification({ ...VECTOR_CONFIG, apiV3Key: 'x'.repeat(32) }, E.notify_body!, headers, at),
    ).toEqual({ ok: false, reason: 'resource did not decrypt with the APIv3 key' });
  });

  it('refuses signed bodies that are not a usable notification', () => {
    const envelope = JSON.parse(E.notify_body!);
    const variant = (body: string) => verifyWechatpayNotification(VECTOR_CONFIG, body, signedBody(body), at);
    expect(variant('not json')).toEqual({ ok: false, reason: 'not a WeChat Pay notification' });
    expect(
      variant(JSON.stringify({ ...envelope, resource: { ...envelope.resource, algorithm: 'AEAD_SM4_GCM' } })),
    ).toEqual({ ok: false, reason: 'unsupported algorithm AEAD_SM4_GCM' });
    const foreign = encryptResource(
      E.apiv3key!,
      E.nonce!,
      'transaction',
      E.plaintext!.replace('"sp_mchid":"1230000109"', '"sp_mchid":"1230000999"'),
    );
    expect(variant(JSON.stringify({ ...envelope, resource: { ...envelope.resource, ciphertext: foreign } }))).toEqual({
      ok: false,
      reason: 'for service provider 1230000999, not 1230000109',
    });
    const noOrder = encryptResource(E.apiv3key!, E.nonce!, 'transaction', JSON.stringify({ trade_state: 'SUCCESS' }));
    expect(variant(JSON.stringify({ ...envelope, resource: { ...envelope.resource, ciphertext: noOrder } }))).toEqual({
      ok: false,
      reason: 'resource of TRANSACTION.SUCCESS has unexpected fields',
    });
  });

  it('a TRANSACTION.SUCCESS whose resource is not SUCCESS is not a payment', () => {
    const envelope = JSON.parse(E.notify_body!);
    const notPaid = encryptResource(
      E.apiv3key!,
      E.nonce!,
      'transaction',
      E.plaintext!.replace('"trade_state":"SUCCESS"', '"trade_state":"NOTPAY"'),
    );
    const body = JSON.stringify({ ...envelope, resource: { ...envelope.resource, ciphertext: notPaid } });
    expect(verifyWechatpayNotification(VECTOR_CONFIG, body, signedBody(body), at)).toMatchObject({
      ok: true,
      notice: { event: 'other' },
    });
  });
});

describe("the sandbox's notifications", () => {
  const built = buildSandbox({ keyDir: FIXTURE_KEYS });
  const ctx: SandboxContext = built.ctx;
  const config = loadConfig(sandboxWorkerEnv('http://127.0.0.1:9', FIXTURE_KEYS)).providers.wechatpay!;
  const paidOrder = () => ctx.store.create({ provider: 'wechatpay', state: 'paid', amount: 1500, payType: 'JSAPI' });
  afterEach(resetWechatpaySandboxSettings);
  afterAll(() => built.app.close());

  it('TRANSACTION.SUCCESS verifies and names the order, sub-merchant and transaction', () => {
    const order = paidOrder();
    const n = wechatpaySimulator.paymentNotification(order, ctx);
    expect(n.headers).toMatchObject({
      'wechatpay-serial': config.platformKeyId,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      'content-type': 'application/json',
    });
    expect(JSON.parse(n.body)).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      resource: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', original_type: 'transaction' },
    });
    expect(verifyWechatpayNotification(config, n.body, n.headers)).toEqual({
      ok: true,
      notice: {
        provider: 'wechatpay',
        merchantId: order.merchantId,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'paid',
      },
    });
  });

  it('REFUND.SUCCESS verifies as refunded; a closed refund is another event', () => {
    const order = paidOrder();
    const refund = ctx.store.addRefund(order, 500, { refundKey: `${order.orderId}-RF1` });
    const n = wechatpayRefundNotification(order, refund, ctx);
    expect(JSON.parse(n.body)).toMatchObject({
      event_type: 'REFUND.SUCCESS',
      resource: { original_type: 'refund', associated_data: 'refund' },
    });
    expect(verifyWechatpayNotification(config, n.body, n.headers)).toMatchObject({
      ok: true,
      notice: { orderId: order.orderId, event: 'refunded' },
    });
    refund.status = 'failed';
    const closed = wechatpayRefundNotification(order, refund, ctx);
    expect(JSON.parse(closed.body).event_type).toBe('REFUND.CLOSED');
    expect(verifyWechatpayNotification(config, closed.body, closed.headers)).toMatchObject({
      ok: true,
      notice: { event: 'other' },
    });
  });

  it('refuses its signature probe, a forged one, a tampered one and a stale one', () => {
    const order = paidOrder();
    const probe = wechatpaySignatureProbe(order, ctx);
    expect(probe.headers['wechatpay-signature']).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verifyWechatpayNotification(config, probe.body, probe.headers)).toEqual({
      ok: false,
      reason: 'signature probe',
    });

    const privateKey = forgerPrivateKeyPem();
    const forger = {
      ...ctx,
      credentials: {
        ...ctx.credentials,
        wechatpay: { ...ctx.credentials.wechatpay, platformPrivateKeyPem: privateKey },
      },
    };
    const forged = wechatpaySimulator.paymentNotification(order, forger);
    expect(verifyWechatpayNotification(config, forged.body, forged.headers)).toEqual({
      ok: false,
      reason: 'Wechatpay-Signature did not verify',
    });

    const real = wechatpaySimulator.paymentNotification(order, ctx);
    expect(verifyWechatpayNotification(config, real.body.replace('{', '{ '), real.headers)).toEqual({
      ok: false,
      reason: 'Wechatpay-Signature did not verify',
    });

    wechatpaySandboxSettings.answerClockOffsetSec = -301;
    const stale = wechatpaySimulator.paymentNotification(order, ctx);
    expect(verifyWechatpayNotification(config, stale.body, stale.headers)).toEqual({
      ok: false,
      reason: 'Wechatpay-Timestamp more than 300 s away',
    });
  });

  it("our receiver's ack is what WeChat accepts: 200 or 204, no body needed (§4.3)", () => {
    const n = wechatpaySimulator.paymentNotification(paidOrder(), ctx);
    expect(WECHATPAY_NOTICE_ACK).toEqual({ status: 204, body: '' });
    expect(n.isAck(WECHATPAY_NOTICE_ACK.status, WECHATPAY_NOTICE_ACK.body)).toBe(true);
    expect(n.isAck(200, '')).toBe(true);
    expect(n.isAck(500, '{"code":"FAIL","message":"失败"}')).toBe(false);
    expect(n.isAck(401, '')).toBe(false);
  });
});
