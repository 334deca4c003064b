/** The sandbox counts the provider requests it served, per route and status; admin calls are not counted. */
import { createQfpayAdapter } from '../../activities/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await sb?.close();
});

describe('GET /_admin/requests', () => {
  it('counts signed, rejected, faulted and dropped calls by route and status', async () => {
    // The production request budget (10 s, activities/providers/http.ts): a shorter one can expire on a
    // loaded 2-core machine while this process waits for CPU, failing a call nothing faulted.
    const adapter = createQfpayAdapter(sb.config.providers.qfpay!);
    const order = await sb.admin('POST', '/orders', {
      provider: 'qfpay',
      state: 'unpaid',
      amount: 100,
      payType: '800201',
    });
    await sb.admin('DELETE', '/requests');
    const ref = {
      provider: 'qfpay' as const,
      merchantId: order.merchantId,
      orderId: order.orderId,
      amount: 100,
      payType: '800201',
    };
    await adapter.queryOrder(ref);
    await adapter.queryOrder(ref);
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'query', kind: 'http_500', count: 1 });
    await adapter.queryOrder(ref).catch(() => undefined);
    const unsigned = await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, { method: 'POST', body: 'out_trade_no=x' });
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'query', kind: 'reset', count: 1 });
    await adapter.queryOrder(ref).catch(() => undefined);

    const counted = await sb.admin('GET', '/requests');
    expect(counted).toEqual({
      total: 5,
      // QFPay answers a rejected signature with HTTP 200 and an error respcd; the reset never answers.
      routes: [{ route: 'POST /qfpay/trade/v1/query', count: 5, byStatus: { 200: 3, 500: 1, none: 1 } }],
    });
    expect(JSON.parse(await unsigned.text()).respcd).not.toBe('0000');
  });

  it('is cleared by DELETE /_admin/requests and by reset', async () => {
    await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, { method: 'POST', body: '' });
    expect((await sb.admin('GET', '/requests')).total).toBeGreaterThan(0);
    await sb.admin('DELETE', '/requests');
    expect(await sb.admin('GET', '/requests')).toEqual({ total: 0, routes: [] });
    await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, { method: 'POST', body: '' });
    await sb.admin('POST', '/reset');
    expect(await sb.admin('GET', '/requests')).toEqual({ total: 0, routes: [] });
  });
});
