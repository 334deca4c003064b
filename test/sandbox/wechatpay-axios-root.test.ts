/**
 * `wechatpay-axios-plugin` pointed at the sandbox root with nothing but `baseURL`, the way it is pointed
 * at api.mch.weixin.qq.com: it signs the canonical /v3/... path and verifies every 2xx answer itself
 * (platform public key under the sandbox's PUB_KEY_ID). The partner calls Rescind needs — query by
 * out_trade_no, close, reverse, refund, refund query — with the states, the amounts and the ledger.
 */
import { readFileSync } from 'node:fs';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const account = SANDBOX_ACCOUNTS.wechatpay;
const sub = account.defaultSubMchid;
const merchantKey = readFileSync(`${FIXTURE_KEYS}/wxpay_merchant_private_pkcs8.pem`, 'utf8');
const platformPublic = readFileSync(`${FIXTURE_KEYS}/wxpay_platform_public_spki.pem`, 'utf8');

let sb: TestSandbox;
let wxpay: Wechatpay;
beforeAll(async () => {
  sb = await startTestSandbox();
  wxpay = new Wechatpay({
    mchid: account.spMchid,
    serial: account.merchantSerial,
    privateKey: merchantKey,
    certs: { [account.platformKeyId]: platformPublic },
    baseURL: sb.sandbox.url,
  });
});
afterAll(async () => sb.close());
beforeEach(async () => sb.admin('DELETE', '/requests'));

type Answer = Record<string, unknown>;
const make = (state: string, payType = 'NATIVE') =>
  sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 1000, payType });
const scope = { sp_mchid: account.spMchid, sub_mchid: sub };
const order = () => wxpay.chain('v3/pay/partner/transactions/out-trade-no/{out_trade_no}');
const query = (orderId: string) => order().get<Answer>({ params: scope, out_trade_no: orderId });
const refunds = () => wxpay.chain('v3/refund/domestic/refunds');
const refundBody = (orderId: string, key: string, refund: number) => ({
  sub_mchid: sub,
  out_trade_no: orderId,
  out_refund_no: key,
  amount: { refund, total: 1000, currency: 'CNY' },
});
/** The ledger's money in and out for one order (undefined: no money ever moved). */
const moneyOf = async (orderId: string) =>
  (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);
/** The routes the sandbox served since the last clear: proof the calls reached the root, not /wechatpay. */
const served = async () => (await sb.admin('GET', '/requests')).routes.map((r: { route: string }) => r.route);

it('query by out_trade_no: NOTPAY before payment, SUCCESS with the transaction after; served at /v3', async () => {
  const unpaid = await make('unpaid');
  const before = await query(unpaid.orderId);
  expect(before.status).toBe(200);
  expect(before.data).toMatchObject({
    sp_mchid: account.spMchid,
    sub_mchid: sub,
    out_trade_no: unpaid.orderId,
    trade_state: 'NOTPAY',
    amount: { total: 1000, currency: 'CNY' },
  });
  const paid = await make('paid');
  expect((await query(paid.orderId)).data).toMatchObject({
    transaction_id: paid.providerOrderId,
    trade_state: 'SUCCESS',
    amount: { total: 1000, payer_total: 1000 },
  });
  expect(await served()).toEqual(['GET /v3/pay/partner/transactions/out-trade-no/:otn']);
});

it('close: 204 with a verified empty body; the order is CLOSED and no money moved', async () => {
  const unpaid = await make('unpaid');
  const closed = await order().chain('close').post(scope, { out_trade_no: unpaid.orderId });
  expect([closed.status, closed.data]).toEqual([204, '']);
  expect((await query(unpaid.orderId)).data).toMatchObject({ trade_state: 'CLOSED' });
  expect(await moneyOf(unpaid.orderId)).toBeUndefined();
});

it('reverse of a paid codepay order: REVOKED, paid back once; a later refund is refused, moves nothing', async () => {
  const paid = await make('paid', 'MICROPAY');
  const reversed = await order().chain('reverse').post(scope, { out_trade_no: paid.orderId });
  expect(reversed.data).toEqual({ sp_appid: account.spAppid, ...scope, out_trade_no: paid.orderId });
  expect((await query(paid.orderId)).data).toMatchObject({ trade_state: 'REVOKED' });
  await expect(refunds().post(refundBody(paid.orderId, `${paid.orderId}-RF1`, 1000))).rejects.toMatchObject({
    response: { status: 400, data: { code: 'INVALID_REQUEST' } },
  });
  expect(await moneyOf(paid.orderId)).toMatchObject({ paid: 1000, returned: 1000, refundCount: 0 });
});

it('refund, the same out_refund_no again, refund query: one refund of 400, SUCCESS', async () => {
  const paid = await make('paid');
  const key = `${paid.orderId}-RF1`;
  const made = await refunds().post<Answer>(refundBody(paid.orderId, key, 400));
  expect(made.data).toMatchObject({
    refund_id: expect.stringMatching(/^\d{29}$/),
    out_refund_no: key,
    out_trade_no: paid.orderId,
    transaction_id: paid.providerOrderId,
    status: 'SUCCESS',
    amount: { refund: 400, total: 1000, currency: 'CNY' },
  });
  const again = await refunds().post<Answer>(refundBody(paid.orderId, key, 400));
  expect(again.data.refund_id).toBe(made.data.refund_id);
  const found = await refunds()
    .chain('{out_refund_no}')
    .get<Answer>({ params: { sub_mchid: sub }, out_refund_no: key });
  expect(found.data).toMatchObject({ refund_id: made.data.refund_id, status: 'SUCCESS', amount: { refund: 400 } });
  expect((await query(paid.orderId)).data).toMatchObject({ trade_state: 'REFUND' });
  expect(await moneyOf(paid.orderId)).toMatchObject({ paid: 1000, returned: 400, refundCount: 1 });
});
