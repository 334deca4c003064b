/** The unconfirmed-behaviour switches over the admin API: read, change (validated), and reset to defaults. */
import { createPingppAdapter } from '../../activities/providers/pingpp/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { http } from '../client/support.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb?.admin('DELETE', '/settings');
  await sb?.close();
});

const settingsUrl = (path = '') => `${sb.sandbox.url}/_admin/settings${path}`;

describe('/_admin/settings', () => {
  it('shows every provider’s switches with their defaults, without the clocks', async () => {
    const all = await sb.admin('GET', '/settings');
    expect(Object.keys(all).sort()).toEqual(['payjs', 'pingpp', 'qfpay', 'wechatpay']);
    expect(all.pingpp).toMatchObject({ signResponses: true, rateLimitStatus: 429, webhookMode: 'live' });
    expect(all.wechatpay).toMatchObject({ signErrors: true, userpayingStatus: 403 });
    expect(all.qfpay).not.toHaveProperty('now');
    expect(all.wechatpay).not.toHaveProperty('now');
  });

  it('a PATCH changes what the simulator does: unsigned Ping++ answers are then never trusted by the adapter', async () => {
    const order = await sb.admin('POST', '/orders', {
      provider: 'pingpp',
      state: 'paid',
      amount: 500,
      payType: 'alipay_qr',
    });
    // The production request budget (10 s, activities/providers/http.ts): a shorter one can expire on a
    // loaded 2-core machine while this process waits for CPU, failing a call nothing faulted.
    const adapter = createPingppAdapter(sb.config.providers.pingpp!);
    const ref = {
      provider: 'pingpp' as const,
      merchantId: order.merchantId,
      orderId: order.orderId,
      providerOrderId: order.providerOrderId,
      amount: 500,
      payType: 'alipay_qr',
    };
    expect(await adapter.queryOrder(ref)).toMatchObject({ status: 'paid' });

    const changed = await http('PATCH', settingsUrl('/pingpp'), { json: { signResponses: false } });
    expect(changed).toMatchObject({ status: 200, body: { signResponses: false, rateLimitStatus: 429 } });
    expect(await adapter.queryOrder(ref)).toMatchObject({ status: 'unknown', providerCode: 'signature' });

    const reset = await http('DELETE', settingsUrl());
    expect(reset.body.pingpp.signResponses).toBe(true);
    expect(await adapter.queryOrder(ref)).toMatchObject({ status: 'paid' });
  });

  it('switches how PAYJS answers are canonicalised for signing, and refuses an unknown scheme', async () => {
    expect((await sb.admin('GET', '/settings')).payjs.answerCanonicalisation).toBe('php-sdk');
    const changed = await http('PATCH', settingsUrl('/payjs'), { json: { answerCanonicalisation: 'python-demo' } });
    expect(changed).toMatchObject({ status: 200, body: { answerCanonicalisation: 'python-demo' } });
    const bad = await http('PATCH', settingsUrl('/payjs'), { json: { answerCanonicalisation: 'java' } });
    expect(bad.status).toBe(400);
    expect((await sb.admin('GET', '/settings')).payjs.answerCanonicalisation).toBe('python-demo');
    await http('DELETE', settingsUrl());
  });

  it('switches the QFPay month rule and answer signing scheme over HTTP', async () => {
    const all = await sb.admin('GET', '/settings');
    expect(all.qfpay).toMatchObject({ queryCurrentMonthOnly: true, responseSignedOver: 'raw_body' });
    const patch = { queryCurrentMonthOnly: false, responseSignedOver: 'sorted_fields', declareResponseSignType: true };
    const changed = await http('PATCH', settingsUrl('/qfpay'), { json: patch });
    expect(changed).toMatchObject({ status: 200, body: patch });
    await http('DELETE', settingsUrl());
  });

  it('refuses bad values and unknown switches, naming each, and changes nothing', async () => {
    const bad = await http('PATCH', settingsUrl('/wechatpay'), { json: { userpayingStatus: 404, signErors: false } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['', 'userpayingStatus']);
    expect(JSON.stringify(bad.body)).toContain('signErors');
    expect((await sb.admin('GET', '/settings')).wechatpay.userpayingStatus).toBe(403);
    const unknown = await http('PATCH', settingsUrl('/paypal'), { json: {} });
    expect(unknown).toMatchObject({
      status: 404,
      body: { message: 'no provider "paypal": use one of payjs, qfpay, wechatpay, pingpp' },
    });
  });

  it('clears an optional switch with null', async () => {
    await http('PATCH', settingsUrl('/pingpp'), {
      json: { refundFailure: { code: 'insufficient_balance', message: 'no money' } },
    });
    expect((await sb.admin('GET', '/settings')).pingpp.refundFailure).toEqual({
      code: 'insufficient_balance',
      message: 'no money',
    });
    const cleared = await http('PATCH', settingsUrl('/pingpp'), { json: { refundFailure: null } });
    expect(cleared.body).not.toHaveProperty('refundFailure.code');
    expect((await sb.admin('GET', '/settings')).pingpp.refundFailure).toBeUndefined();
  });
});
