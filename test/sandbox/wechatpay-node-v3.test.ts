/**
 * The sandbox root driven by `wechatpay-node-v3` (2.2.1), code we did not write. It has no base URL
 * option: every method writes https://api.mch.weixin.qq.com/v3/... into the request and signs the
 * path alone. Its one hook is `createHttp(transport)`; the transport here changes the host to the
 * sandbox and hands the request to the library's own (superagent) transport, nothing else.
 *
 * It is a direct-merchant client: `query()`/`close()` use /v3/pay/transactions/...?mchid=, there is
 * no reverse, and `find_refunds()` cannot add sub_mchid. Partner calls are written as its own methods
 * are (buildAuthorization, getHeaders, httpService) in a subclass. `refunds()` is used as it is.
 *
 * It never verifies answers, and its transport keeps only status and parsed body, so answer
 * signatures cannot be checked through it at all. `verifySign()` (meant for notifications) looks
 * keys up in its static `Pay.certificates`, filled only from /v3/certificates (platform-certificate
 * mode, which the sandbox does not simulate); the sandbox's PUB_KEY_ID is put there by hand.
 */
import { readFileSync } from 'node:fs';
import Pay from 'wechatpay-node-v3';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { wechatpayRefundNotification, wechatpaySimulator } from '../../sandbox/providers/wechatpay/index.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const account = SANDBOX_ACCOUNTS.wechatpay;
const sub = account.defaultSubMchid;
const scope = { sp_mchid: account.spMchid, sub_mchid: sub };
const LIBRARY_HOST = 'https://api.mch.weixin.qq.com';
const PARTNER = '/v3/pay/partner/transactions/out-trade-no';
type Transport = Parameters<Pay['createHttp']>[0];

/** The library pointed at `root` by its transport hook, with the partner calls it lacks. */
class SandboxPay extends Pay {
  /** The URLs the library itself asked for, before the host was changed. */
  readonly asked: string[] = [];

  constructor(root: string) {
    super({
      appid: account.spAppid,
      mchid: account.spMchid,
      serial_no: account.merchantSerial,
      // Required to be present; read only to derive serial_no from a certificate, which is given.
      publicKey: readFileSync(`${FIXTURE_KEYS}/wxpay_merchant_public_spki.pem`),
      privateKey: readFileSync(`${FIXTURE_KEYS}/wxpay_merchant_private_pkcs8.pem`),
      key: account.apiV3Key,
    });
    const own = this.httpService;
    const rehost = (url: string) => {
      this.asked.push(url);
      return `${root}${url.slice(LIBRARY_HOST.length)}`;
    };
    const transport: Transport = {
      get: (url, headers) => own.get(rehost(url), headers),
      post: (url, params, headers) => own.post(rehost(url), params, headers),
      upload: (url, params, headers) => own.upload(rehost(url), params, headers),
    };
    this.createHttp(transport);
  }

  /** Trust a WeChat Pay public key id in verifySign(), as /v3/certificates would a certificate serial. */
  static trust(keyId: string, publicKeyPem: string): void {
    Pay.certificates[keyId] = publicKeyPem;
  }

  partnerQuery(outTradeNo: string) {
    return this.get(`${PARTNER}/${outTradeNo}?sp_mchid=${account.spMchid}&sub_mchid=${sub}`);
  }

  partnerClose(outTradeNo: string) {
    return this.post(`${PARTNER}/${outTradeNo}/close`, scope);
  }

  partnerReverse(outTradeNo: string) {
    return this.post(`${PARTNER}/${outTradeNo}/reverse`, scope);
  }

  partnerFindRefund(outRefundNo: string) {
    return this.get(`/v3/refund/domestic/refunds/${outRefundNo}?sub_mchid=${sub}`);
  }

  private get(path: string) {
    const url = `${LIBRARY_HOST}${path}`;
    return this.httpService.get(url, this.getHeaders(this.buildAuthorization('GET', url)));
  }

  private post(path: string, body: Record<string, unknown>) {
    const url = `${LIBRARY_HOST}${path}`;
    const headers = this.getHeaders(this.buildAuthorization('POST', url, body), { 'Content-Type': 'application/json' });
    return this.httpService.post(url, body, headers);
  }
}

let sb: TestSandbox;
let pay: SandboxPay;
beforeAll(async () => {
  sb = await startTestSandbox();
  pay = new SandboxPay(sb.sandbox.url);
});
afterAll(async () => sb.close());
beforeEach(async () => sb.admin('DELETE', '/requests'));

const make = (state: string, payType = 'NATIVE') =>
  sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 1000, payType });
/** refunds() sends its argument as it is: its type has no sub_mchid, the partner request has one. */
const refundBody = (orderId: string, key: string, refund: number) => ({
  sub_mchid: sub,
  out_trade_no: orderId,
  out_refund_no: key,
  amount: { refund, total: 1000, currency: 'CNY' },
});
/** The library hands error bodies back as text. */
const codeOf = (answer: { error?: unknown }) => JSON.parse(answer.error as string).code;
/** The ledger's money in and out for one order (undefined: no money ever moved). */
const moneyOf = async (orderId: string) =>
  (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);
const served = async () => (await sb.admin('GET', '/requests')).routes.map((r: { route: string }) => r.route);

it('partner query by out_trade_no: NOTPAY, then SUCCESS; asked of WeChat, served at the root', async () => {
  const unpaid = await make('unpaid');
  expect(await pay.partnerQuery(unpaid.orderId)).toMatchObject({
    status: 200,
    data: { out_trade_no: unpaid.orderId, sub_mchid: sub, trade_state: 'NOTPAY', amount: { total: 1000 } },
  });
  const paid = await make('paid');
  expect(await pay.partnerQuery(paid.orderId)).toMatchObject({
    status: 200,
    data: { transaction_id: paid.providerOrderId, trade_state: 'SUCCESS', amount: { total: 1000, payer_total: 1000 } },
  });
  const query = `sp_mchid=${account.spMchid}&sub_mchid=${sub}`;
  expect(pay.asked.at(-1)).toBe(`${LIBRARY_HOST}${PARTNER}/${paid.orderId}?${query}`);
  expect(await served()).toEqual(['GET /v3/pay/partner/transactions/out-trade-no/:otn']);
});

it("the library's own query() and close() are direct-merchant calls the partner sandbox does not serve", async () => {
  const unpaid = await make('unpaid');
  const notServed = { status: 404, error: expect.stringContaining('not found') };
  expect(await pay.query({ out_trade_no: unpaid.orderId })).toMatchObject(notServed);
  const direct = `/v3/pay/transactions/out-trade-no/${unpaid.orderId}?mchid=${account.spMchid}`;
  expect(pay.asked.at(-1)).toBe(`${LIBRARY_HOST}${direct}`);
  expect(await pay.close(unpaid.orderId)).toMatchObject(notServed);
  expect((await pay.partnerQuery(unpaid.orderId)).data).toMatchObject({ trade_state: 'NOTPAY' });
});

it('partner close: 204, the order is CLOSED, no money moved', async () => {
  const unpaid = await make('unpaid');
  expect(await pay.partnerClose(unpaid.orderId)).toEqual({ status: 204, data: {} });
  expect((await pay.partnerQuery(unpaid.orderId)).data).toMatchObject({ trade_state: 'CLOSED' });
  expect(await moneyOf(unpaid.orderId)).toBeUndefined();
});

it('partner reverse of a paid codepay order: REVOKED, paid back once; refunds() after it is refused', async () => {
  const paid = await make('paid', 'MICROPAY');
  expect(await pay.partnerReverse(paid.orderId)).toEqual({
    status: 200,
    data: { sp_appid: account.spAppid, ...scope, out_trade_no: paid.orderId },
  });
  expect((await pay.partnerQuery(paid.orderId)).data).toMatchObject({ trade_state: 'REVOKED' });
  const refused = await pay.refunds(refundBody(paid.orderId, `${paid.orderId}-RF1`, 1000));
  expect([refused.status, codeOf(refused)]).toEqual([400, 'INVALID_REQUEST']);
  expect(await moneyOf(paid.orderId)).toMatchObject({ paid: 1000, returned: 1000, refundCount: 0 });
});

it('refunds() twice, one out_refund_no: one refund of 400; found with sub_mchid, not by find_refunds()', async () => {
  const paid = await make('paid');
  const key = `${paid.orderId}-RF1`;
  const made = await pay.refunds(refundBody(paid.orderId, key, 400));
  expect(made).toMatchObject({
    status: 200,
    data: {
      refund_id: expect.stringMatching(/^\d{29}$/),
      out_refund_no: key,
      out_trade_no: paid.orderId,
      status: 'SUCCESS',
      amount: { refund: 400, total: 1000, currency: 'CNY' },
    },
  });
  expect(pay.asked.at(-1)).toBe(`${LIBRARY_HOST}/v3/refund/domestic/refunds`);
  expect((await pay.refunds(refundBody(paid.orderId, key, 400))).data?.refund_id).toBe(made.data?.refund_id);
  expect(await pay.partnerFindRefund(key)).toMatchObject({
    status: 200,
    data: { refund_id: made.data?.refund_id, status: 'SUCCESS', amount: { refund: 400 } },
  });
  const withoutSub = await pay.find_refunds(key);
  expect([withoutSub.status, codeOf(withoutSub)]).toEqual([400, 'PARAM_ERROR']);
  expect(await moneyOf(paid.orderId)).toMatchObject({ paid: 1000, returned: 400, refundCount: 1 });
});

it('verifySign() checks notifications once the PUB_KEY_ID is trusted; before, /v3/certificates fails', async () => {
  const order = sb.sandbox.ctx.store.findByOrderId('wechatpay', (await make('paid')).orderId)!;
  const payment = wechatpaySimulator.paymentNotification(order, sb.sandbox.ctx);
  const h = payment.headers;
  const signed = {
    timestamp: h['wechatpay-timestamp']!,
    nonce: h['wechatpay-nonce']!,
    serial: h['wechatpay-serial']!,
    signature: h['wechatpay-signature']!,
  };
  await expect(pay.verifySign({ ...signed, body: payment.body })).rejects.toThrow('拉取平台证书失败');
  expect(pay.asked.at(-1)).toBe(`${LIBRARY_HOST}/v3/certificates`);

  SandboxPay.trust(account.platformKeyId, readFileSync(`${FIXTURE_KEYS}/wxpay_platform_public_spki.pem`, 'utf8'));
  expect(await pay.verifySign({ ...signed, body: payment.body })).toBe(true);
  expect(await pay.verifySign({ ...signed, body: payment.body.replace('{', '{ ') })).toBe(false);
  const paidResource = JSON.parse(payment.body).resource;
  expect(pay.decipher_gcm(paidResource.ciphertext, paidResource.associated_data, paidResource.nonce)).toMatchObject({
    out_trade_no: order.orderId,
    trade_state: 'SUCCESS',
    amount: { total: 1000 },
  });

  const refund = sb.sandbox.ctx.store.addRefund(order, 300, { refundKey: `${order.orderId}-RF1` });
  const refunded = JSON.parse(wechatpayRefundNotification(order, refund, sb.sandbox.ctx).body).resource;
  expect(pay.decipher_gcm(refunded.ciphertext, refunded.associated_data, refunded.nonce)).toMatchObject({
    out_refund_no: `${order.orderId}-RF1`,
    refund_status: 'SUCCESS',
    amount: { refund: 300 },
  });
});
