/**
 * The sandbox driven by `wechatpay-axios-plugin`, code we did not write: it signs requests with
 * the merchant key and verifies every 2xx answer's signature under the PUB_KEY_ID itself.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const require = createRequire(import.meta.url);
const { Wechatpay, Aes } = require('wechatpay-axios-plugin') as { Wechatpay: new (config: Record<string, unknown>) => any; Aes: any };
const account = SANDBOX_ACCOUNTS.wechatpay;

let sb: TestSandbox;
let wxpay: any;
beforeAll(async () => {
  sb = await startTestSandbox();
  wxpay = new Wechatpay({
    mchid: account.spMchid,
    serial: account.merchantSerial,
    privateKey: readFileSync(`${FIXTURE_KEYS}/wxpay_merchant_private_pkcs8.pem`, 'utf8'),
    certs: { [account.platformKeyId]: readFileSync(`${FIXTURE_KEYS}/wxpay_platform_public_spki.pem`, 'utf8') },
    baseURL: `${sb.sandbox.url}/wechatpay/`,
  });
});
afterAll(async () => sb.close());

const make = async (state: string, payType = 'NATIVE') => sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 1000, payType });
const sub = account.defaultSubMchid;

it('query, close (204), reverse, refund and refund query, all verified by the SDK', async () => {
  const unpaid = await make('unpaid');
  const q = await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ params: { sp_mchid: account.spMchid, sub_mchid: sub }, out_trade_no: unpaid.orderId });
  expect(q.data).toMatchObject({ out_trade_no: unpaid.orderId, trade_state: 'NOTPAY' });

  const closed = await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.close.post({ sp_mchid: account.spMchid, sub_mchid: sub }, { out_trade_no: unpaid.orderId });
  expect(closed.status).toBe(204);

  const codepay = await make('unpaid', 'MICROPAY');
  const reversed = await wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.reverse.post({ sp_mchid: account.spMchid, sub_mchid: sub }, { out_trade_no: codepay.orderId });
  expect(reversed.data).toMatchObject({ out_trade_no: codepay.orderId });

  const paid = await make('paid');
  const refund = await wxpay.v3.refund.domestic.refunds.post({ sub_mchid: sub, out_trade_no: paid.orderId, out_refund_no: `${paid.orderId}-RF1`, amount: { refund: 1000, total: 1000, currency: 'CNY' } });
  expect(refund.data).toMatchObject({ out_refund_no: `${paid.orderId}-RF1`, status: 'SUCCESS' });
  const again = await wxpay.v3.refund.domestic.refunds.post({ sub_mchid: sub, out_trade_no: paid.orderId, out_refund_no: `${paid.orderId}-RF1`, amount: { refund: 1000, total: 1000, currency: 'CNY' } });
  expect(again.data.refund_id).toBe(refund.data.refund_id);
  const found = await wxpay.v3.refund.domestic.refunds._out_refund_no_.get({ params: { sub_mchid: sub }, out_refund_no: `${paid.orderId}-RF1` });
  expect(found.data).toMatchObject({ refund_id: refund.data.refund_id, status: 'SUCCESS' });
  const ledger = await sb.admin('GET', '/ledger');
  expect(ledger.orders.find((o: { orderId: string }) => o.orderId === paid.orderId)).toMatchObject({ refundCount: 1 });
});

it('the SDK rejects an answer whose signature does not verify', async () => {
  const order = await make('paid');
  await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'bad_signature' });
  await expect(wxpay.v3.pay.partner.transactions.outTradeNo._out_trade_no_.get({ params: { sp_mchid: account.spMchid, sub_mchid: sub }, out_trade_no: order.orderId })).rejects.toThrow(/EV3_RES_HEADER_SIGNATURE_DIGEST|signature/i);
});

it("the SDK's AES-GCM decrypts the sandbox's notification resource", async () => {
  const order = await make('paid');
  const { wechatpaySimulator } = await import('../../sandbox/providers/wechatpay/index.js');
  const n = wechatpaySimulator.paymentNotification(sb.sandbox.ctx.store.findByOrderId('wechatpay', order.orderId)!, sb.sandbox.ctx);
  const { resource } = JSON.parse(n.body);
  const plaintext = JSON.parse(Aes.AesGcm.decrypt(resource.ciphertext, account.apiV3Key, resource.nonce, resource.associated_data));
  expect(plaintext).toMatchObject({ out_trade_no: order.orderId, trade_state: 'SUCCESS', sub_mchid: sub });
});
