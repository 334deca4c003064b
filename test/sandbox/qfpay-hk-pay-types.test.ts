/**
 * The QFPay simulator and Hong Kong pay types (docs/providers/qfpay.md §3.2), over HTTP with hand-signed requests:
 * reversal and close are refused with 1150 whatever the order's state, an unpaid one shows expired (1181) once its
 * payment window has passed, and a paid order of another pay type is refused with 1260 (setting: the 2018 readings).
 */
import { qfpaySignRequest } from '../../activities/providers/qfpay/signer.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { resetQfpaySandboxSettings } from '../../sandbox/providers/qfpay/index.js';
import { hkTime } from '../../sandbox/providers/qfpay/views.js';
import { QFPAY_HK_PAY_TYPES } from '../../workflows/qfpay-pay-types.js';
import type { SandboxOrderView } from '../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ACCOUNT = SANDBOX_ACCOUNTS.qfpay;
const MINUTE = 60_000;

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetQfpaySandboxSettings();
});

/** One signed QFPay request; the parsed answer. */
async function call(endpoint: string, params: Record<string, string>): Promise<Record<string, any>> {
  const res = await fetch(`${sb.sandbox.url}/qfpay/trade/v1/${endpoint}`, {
    method: 'POST',
    headers: {
      'x-qf-appcode': ACCOUNT.appCode,
      'x-qf-sign': qfpaySignRequest(params, ACCOUNT.clientKey, 'MD5'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(params).toString(),
  });
  return JSON.parse(await res.text());
}

const make = (state: string, payType: string, createdAt?: string): Promise<SandboxOrderView> =>
  sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType, createdAt });
const original = (o: SandboxOrderView) => ({
  mchid: ACCOUNT.mchid,
  syssn: o.providerOrderId,
  txamt: String(o.amount),
  txdtm: hkTime(new Date(o.createdAt)),
});
const row = async (o: SandboxOrderView) =>
  (await call('query', { mchid: ACCOUNT.mchid, syssn: o.providerOrderId })).data[0];
const stateOf = async (o: SandboxOrderView): Promise<string> =>
  (await sb.admin('GET', `/orders/qfpay/${o.orderId}`)).state;

describe.each(['reversal', 'close'])('%s of a Hong Kong pay type', (endpoint) => {
  it.each(Object.keys(QFPAY_HK_PAY_TYPES))('%s: refused with 1150, unpaid or paid, and nothing changes', async (p) => {
    for (const state of ['unpaid', 'paying', 'paid']) {
      const order = await make(state, p);
      const answer = await call(endpoint, original(order));
      expect(answer).toMatchObject({ respcd: '1150' });
      expect(answer.syssn).toBeUndefined();
      expect(await stateOf(order)).toBe(state);
    }
  });
});

describe('an unpaid Hong Kong order expires with its payment window', () => {
  it('FPS created 119 minutes ago still answers 1143; 121 minutes ago 1181 (expired), and cannot be paid any more', async () => {
    const young = await make('unpaid', '802001', new Date(Date.now() - 119 * MINUTE).toISOString());
    expect(await row(young)).toMatchObject({ respcd: '1143', cancel: '0' });
    const old = await make('unpaid', '802001', new Date(Date.now() - 121 * MINUTE).toISOString());
    expect(await row(old)).toMatchObject({ respcd: '1181' });
    expect(await stateOf(old)).toBe('expired');
  });

  it('switched off (expireAfterPaymentWindow: false over the settings API), it stays unpaid', async () => {
    await sb.admin('PATCH', '/settings/qfpay', { expireAfterPaymentWindow: false });
    const old = await make('unpaid', '803701', new Date(Date.now() - 3 * 60 * MINUTE).toISOString());
    expect(await row(old)).toMatchObject({ respcd: '1143' });
  });

  it('other pay types do not expire on their own', async () => {
    const old = await make('unpaid', '800201', new Date(Date.now() - 3 * 60 * MINUTE).toISOString());
    expect(await row(old)).toMatchObject({ respcd: '1143' });
  });
});

describe('a paid order of another pay type cannot be reversed or closed', () => {
  it('1260 "already paid" by default (the status-code page); 1297 with the 2018 reading', async () => {
    const order = await make('paid', '800208');
    expect(await call('reversal', original(order))).toMatchObject({ respcd: '1260' });
    await sb.admin('PATCH', '/settings/qfpay', { cancelPaidAnswer: '1297' });
    expect(await call('close', original(order))).toMatchObject({ respcd: '1297' });
    expect(await stateOf(order)).toBe('paid');
  });
});
