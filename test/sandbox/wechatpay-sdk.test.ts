/**
 * The sandbox driven by `wechatpay-axios-plugin`, code we did not write: it signs every request
 * with the merchant key over its full URL path, and verifies every 2xx answer itself (four headers,
 * ±300 s, a key of `certs` named by Wechatpay-Serial, RSA-SHA256). Its AES-GCM and RSA helpers
 * open and check the sandbox's notifications.
 */
import { readFileSync } from 'node:fs';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import {
  resetWechatpaySandboxSettings,
  wechatpayRefundNotification,
  wechatpaySandboxSettings as settings,
  wechatpaySimulator,
} from '../../sandbox/providers/wechatpay/index.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const account = SANDBOX_ACCOUNTS.wechatpay;
const sub = account.defaultSubMchid;
const merchantKey = readFileSync(`${FIXTURE_KEYS}/wxpay_merchant_private_pkcs8.pem`, 'utf8');
const platformPublic = readFileSync(`${FIXTURE_KEYS}/wxpay_platform_public_spki.pem`, 'utf8');

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetWechatpaySandboxSettings();
  await sb.admin('DELETE', '/faults');
});

/** The SDK as a service provider would configure it, pointed at the sandbox. */
const sdk = (over: Record<string, unknown> = {}) =>
  new Wechatpay({
    mchid: account.spMchid,
    serial: account.merchantSerial,
    privateKey: merchantKey,
    certs: { [account.platformKeyId]: platformPublic },
    baseURL: `${sb.sandbox.url}/wechatpay/`,
    ...over,
  });
const make = (state: string, payType = 'NATIVE') =>
  sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 1000, payType });
const byOutTradeNo = (w: Wechatpay) => w.chain('v3/pay/partner/transactions/out-trade-no/{out_trade_no}');
const query = (w: Wechatpay, orderId: string) =>
  byOutTradeNo(w).get({ params: { sp_mchid: account.spMchid, sub_mchid: sub }, out_trade_no: orderId });
const scopeBody = { sp_mchid: account.spMchid, sub_mchid: sub };
const refunds = (w: Wechatpay) => w.chain('v3/refund/domestic/refunds');
const refundBody = (orderId: string, key: string) => ({
  sub_mchid: sub,
  out_trade_no: orderId,
  out_refund_no: key,
  reason: 'sdk',
  amount: { refund: 1000, total: 1000, currency: 'CNY' },
});
const refundsOf = async (orderId: string) =>
  (await sb.admin('GET', '/ledger')).entries.filter(
    (e: { orderId: string; kind: string }) => e.orderId === orderId && e.kind === 'refund',
  ).length;

it('query by out_trade_no and by transaction_id, verified by the SDK', async () => {
  const unpaid = await make('unpaid');
  const q = await query(sdk(), unpaid.orderId);
  expect(q.status).toBe(200);
  expect(q.data).toMatchObject({
    sp_mchid: account.spMchid,
    sub_mchid: sub,
    out_trade_no: unpaid.orderId,
    trade_state: 'NOTPAY',
  });
  const paid = await make('paid');
  const byId = await sdk()
    .chain('v3/pay/partner/transactions/id/{transaction_id}')
    .get({ params: { sp_mchid: account.spMchid, sub_mchid: sub }, transaction_id: paid.providerOrderId });
  expect(byId.data).toMatchObject({
    out_trade_no: paid.orderId,
    transaction_id: paid.providerOrderId,
    trade_state: 'SUCCESS',
  });
});

it('close answers 204 with an empty body, whose signature the SDK verifies; the order is closed', async () => {
  const order = await make('unpaid');
  const closed = await byOutTradeNo(sdk()).chain('close').post(scopeBody, { out_trade_no: order.orderId });
  expect(closed.status).toBe(204);
  expect((await query(sdk(), order.orderId)).data).toMatchObject({ trade_state: 'CLOSED' });
});

it('reverse answers the identifiers; the codepay order is REVOKED', async () => {
  const order = await make('unpaid', 'MICROPAY');
  const reversed = await byOutTradeNo(sdk()).chain('reverse').post(scopeBody, { out_trade_no: order.orderId });
  expect(reversed.data).toEqual({
    sp_appid: account.spAppid,
    sp_mchid: account.spMchid,
    sub_mchid: sub,
    out_trade_no: order.orderId,
  });
  expect((await query(sdk(), order.orderId)).data).toMatchObject({ trade_state: 'REVOKED' });
});

it('refund twice with the same out_refund_no: one refund; the refund query finds it', async () => {
  const order = await make('paid');
  const key = `${order.orderId}-RF1`;
  const first = await refunds(sdk()).post<Record<string, unknown>>(refundBody(order.orderId, key));
  expect(first.data).toMatchObject({
    out_refund_no: key,
    out_trade_no: order.orderId,
    status: 'SUCCESS',
    amount: { refund: 1000, total: 1000 },
  });
  const again = await refunds(sdk()).post<Record<string, unknown>>(refundBody(order.orderId, key));
  expect(again.data.refund_id).toBe(first.data.refund_id);
  const found = await refunds(sdk())
    .chain('{out_refund_no}')
    .get({ params: { sub_mchid: sub }, out_refund_no: key });
  expect(found.data).toMatchObject({ refund_id: first.data.refund_id, status: 'SUCCESS' });
  expect(await refundsOf(order.orderId)).toBe(1);
});

it('errors reach the SDK as HTTP status and WeChat error body (it does not verify non-2xx)', async () => {
  await expect(query(sdk(), 'NOSUCHORDER123')).rejects.toMatchObject({
    response: { status: 404, data: { code: 'ORDER_NOT_EXIST' } },
  });
  const paying = await make('paying', 'MICROPAY');
  await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'reverse', kind: 'in_progress' });
  await expect(
    byOutTradeNo(sdk()).chain('reverse').post(scopeBody, { out_trade_no: paying.orderId }),
  ).rejects.toMatchObject({ response: { status: 403, data: { code: 'USERPAYING' } } });
});

it('the sandbox refuses the SDK signing with another key: 401 SIGN_ERROR', async () => {
  const order = await make('paid');
  const wrongKey = readFileSync(`${FIXTURE_KEYS}/wxpay_platform_private_pkcs8.pem`, 'utf8');
  await expect(query(sdk({ privateKey: wrongKey }), order.orderId)).rejects.toMatchObject({
    response: { status: 401, data: { code: 'SIGN_ERROR' } },
  });
});

it('the SDK rejects a bad_signature answer (EV3_RES_HEADER_SIGNATURE_DIGEST), also on a refund that was applied', async () => {
  const order = await make('paid');
  await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'bad_signature' });
  await expect(query(sdk(), order.orderId)).rejects.toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });
  await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'refund', kind: 'bad_signature' });
  await expect(refunds(sdk()).post(refundBody(order.orderId, `${order.orderId}-RF1`))).rejects.toMatchObject({
    code: 'EV3_RES_HEADER_SIGNATURE_DIGEST',
  });
  expect(await refundsOf(order.orderId)).toBe(1);
  expect((await refunds(sdk()).post(refundBody(order.orderId, `${order.orderId}-RF1`))).data).toMatchObject({
    status: 'SUCCESS',
  });
  expect(await refundsOf(order.orderId)).toBe(1);
});

it('the SDK rejects answers stamped 310 s away (EV3_RES_HEADER_TIMESTAMP_OFFSET) or signed under a key id it does not hold', async () => {
  const order = await make('paid');
  // Ahead of the clock, the gap shrinks while the answer travels, and the stamp is a whole second:
  // 301 s could arrive as 300 (allowed) when the second turned over on the way; 310 keeps 10 s.
  settings.answerClockOffsetSec = 310;
  await expect(query(sdk(), order.orderId)).rejects.toMatchObject({ code: 'EV3_RES_HEADER_TIMESTAMP_OFFSET' });
  settings.answerClockOffsetSec = 0;
  await expect(
    query(sdk({ certs: { PUB_KEY_ID_01123000010920219999999999999999: platformPublic } }), order.orderId),
  ).rejects.toMatchObject({ code: 'EV3_RES_HEADER_PLATFORM_SERIAL' });
});

it("the SDK's RSA and AES-GCM helpers verify and open the sandbox's payment and refund notifications", async () => {
  const order = await make('paid');
  const stored = sb.sandbox.ctx.store.findByOrderId('wechatpay', order.orderId)!;
  const refund = sb.sandbox.ctx.store.addRefund(stored, 400, { refundKey: `${order.orderId}-RF1` });
  for (const [n, want] of [
    [
      wechatpaySimulator.paymentNotification(stored, sb.sandbox.ctx),
      { out_trade_no: order.orderId, sub_mchid: sub, transaction_id: order.providerOrderId, trade_state: 'SUCCESS' },
    ],
    [
      wechatpayRefundNotification(stored, refund, sb.sandbox.ctx),
      {
        out_trade_no: order.orderId,
        out_refund_no: `${order.orderId}-RF1`,
        refund_status: 'SUCCESS',
        amount: { refund: 400 },
      },
    ],
  ] as const) {
    const h = n.headers;
    expect(h['wechatpay-serial']).toBe(account.platformKeyId);
    expect(
      Rsa.verify(
        Formatter.response(h['wechatpay-timestamp']!, h['wechatpay-nonce']!, n.body),
        h['wechatpay-signature']!,
        platformPublic,
      ),
    ).toBe(true);
    expect(
      Rsa.verify(
        Formatter.response(h['wechatpay-timestamp']!, h['wechatpay-nonce']!, n.body.replace('{', '{ ')),
        h['wechatpay-signature']!,
        platformPublic,
      ),
    ).toBe(false);
    const { resource } = JSON.parse(n.body);
    expect(
      JSON.parse(Aes.AesGcm.decrypt(resource.ciphertext, account.apiV3Key, resource.nonce, resource.associated_data)),
    ).toMatchObject(want);
    expect(() =>
      Aes.AesGcm.decrypt(resource.ciphertext, 'x'.repeat(32), resource.nonce, resource.associated_data),
    ).toThrow();
  }
});
