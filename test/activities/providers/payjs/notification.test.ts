/** PAYJS payment notifications: the P4 vector, the simulator's notification, and what must not verify. */
import { PAYJS_NOTICE_ACK, verifyPayjsNotification } from '../../../../activities/providers/payjs/index.js';
import { payjsSign } from '../../../../activities/providers/payjs/signer.js';
import type { PayjsConfig } from '../../../../activities/providers/payjs/config.js';
import { SANDBOX_ACCOUNTS } from '../../../../sandbox/credentials.js';
import { FaultPlan } from '../../../../sandbox/faults.js';
import { Notifier } from '../../../../sandbox/notifier.js';
import { payjsSimulator } from '../../../../sandbox/providers/payjs/index.js';
import type { SandboxContext } from '../../../../sandbox/simulator.js';
import { SandboxStore } from '../../../../sandbox/store.js';
import { RequestCounter } from '../../../../sandbox/request-counter.js';
// P4: docs/providers/payjs.md §2.4, as PAYJS would POST it.
import { KEY, P4 as P4_VECTOR, P4_FORM as P4 } from './vectors.js';

const config: PayjsConfig = { mchid: '1528140051', key: KEY, baseUrl: 'http://127.0.0.1:1', maxRps: 2 };
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const signedForm = (fields: Record<string, string>, key = KEY): string =>
  form({ ...fields, sign: payjsSign(fields, key) });

describe('verifyPayjsNotification', () => {
  it('P4: verifies the documented digest over the urlencoded form', () => {
    const body = form({ ...P4, sign: P4_VECTOR.sign });
    expect(verifyPayjsNotification(config, body, { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({
      ok: true,
      notice: {
        provider: 'payjs',
        merchantId: '1528140051',
        orderId: 'ORDER-20240101-0001',
        providerOrderId: '2024010112000000123456789',
        event: 'paid',
      },
    });
  });

  it.each<[string, string]>([
    ['the Python-demo digest (spaces as +)', form({ ...P4, sign: P4_VECTOR.python_demo_sign })],
    ['a changed amount', form({ ...P4, total_fee: '1', sign: P4_VECTOR.sign })],
    ['an added field', form({ ...P4, refund: '1', sign: P4_VECTOR.sign })],
    ['no sign', form(P4)],
    ['another key', signedForm(P4, 'another-key')],
    ['a repeated field', `${form({ ...P4, sign: P4_VECTOR.sign })}&total_fee=1`],
    ['a JSON body', JSON.stringify({ ...P4, sign: P4_VECTOR.sign })],
    ['an empty body', ''],
  ])('refuses %s', (_what, body) => {
    expect(verifyPayjsNotification(config, body)).toMatchObject({ ok: false });
  });

  it('refuses a well-signed notification that lacks required fields or is for another merchant', () => {
    const withoutOrder: Record<string, string> = { ...P4 };
    delete withoutOrder.out_trade_no;
    expect(verifyPayjsNotification(config, signedForm(withoutOrder))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('missing'),
    });
    expect(verifyPayjsNotification(config, signedForm({ ...P4, mchid: '1528140052' }))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('mchid'),
    });
  });

  it('a signed notification whose return_code is not 1 is not a payment', () => {
    expect(verifyPayjsNotification(config, signedForm({ ...P4, return_code: '0' }))).toMatchObject({
      ok: true,
      notice: { event: 'other' },
    });
  });

  it('the acknowledgement is HTTP 200 with "success"', () => {
    expect(PAYJS_NOTICE_ACK).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
  });
});

describe("the simulator's payment notification", () => {
  const ctx: SandboxContext = {
    store: new SandboxStore({ payjs: payjsSimulator.identity }),
    faults: new FaultPlan(),
    notifier: new Notifier(undefined),
    requests: new RequestCounter(),
    credentials: { payjs: { ...SANDBOX_ACCOUNTS.payjs } } as SandboxContext['credentials'],
  };
  const sandboxConfig: PayjsConfig = { ...config, key: SANDBOX_ACCOUNTS.payjs.key };

  it('is a signed urlencoded form that verifies; tampered, it does not', () => {
    const order = ctx.store.create({ provider: 'payjs', state: 'paid', amount: 2100, orderId: 'N-1' });
    const n = payjsSimulator.paymentNotification(order, ctx);
    expect(n.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(n.body));
    expect(fields).toMatchObject({
      return_code: '1',
      total_fee: '2100',
      out_trade_no: 'N-1',
      payjs_order_id: order.providerOrderId,
      mchid: '1528140051',
    });
    expect(fields.time_end).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(verifyPayjsNotification(sandboxConfig, n.body)).toEqual({
      ok: true,
      notice: {
        provider: 'payjs',
        merchantId: '1528140051',
        orderId: 'N-1',
        providerOrderId: order.providerOrderId,
        event: 'paid',
      },
    });
    expect(verifyPayjsNotification(sandboxConfig, n.body.replace('total_fee=2100', 'total_fee=1'))).toMatchObject({
      ok: false,
    });
    expect(verifyPayjsNotification(config, n.body)).toMatchObject({ ok: false });
  });

  it('carries type=alipay only for Alipay orders', () => {
    const wx = ctx.store.create({ provider: 'payjs', state: 'paid', amount: 100, orderId: 'N-2' });
    const ali = ctx.store.create({ provider: 'payjs', state: 'paid', amount: 100, orderId: 'N-3', payType: 'alipay' });
    expect(new URLSearchParams(payjsSimulator.paymentNotification(wx, ctx).body).has('type')).toBe(false);
    const aliBody = payjsSimulator.paymentNotification(ali, ctx).body;
    expect(new URLSearchParams(aliBody).get('type')).toBe('alipay');
    expect(verifyPayjsNotification(sandboxConfig, aliBody)).toMatchObject({ ok: true });
  });

  it('counts any HTTP 200 as acknowledged, and nothing else', () => {
    const n = payjsSimulator.paymentNotification(
      ctx.store.create({ provider: 'payjs', state: 'paid', amount: 100, orderId: 'N-4' }),
      ctx,
    );
    expect(n.isAck(200, 'success')).toBe(true);
    expect(n.isAck(200, '')).toBe(true);
    expect(n.isAck(204, 'success')).toBe(false);
    expect(n.isAck(500, 'success')).toBe(false);
  });
});
