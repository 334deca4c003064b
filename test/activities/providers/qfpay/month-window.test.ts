/**
 * QFPay searches one calendar month per query: without a syssn, only the current one unless start_time/end_time
 * name another (docs/providers/qfpay.md §4.2). An order created last month and cancelled, refunded or
 * reconciled this month must still be found, and its refunds confirmed, against the sandbox enforcing that rule.
 */
import { createQfpayAdapter } from '../../../../activities/providers/qfpay/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings } from '../../../../sandbox/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const DAY = 86_400_000;

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetQfpaySandboxSettings();
  await sb.admin('DELETE', '/faults');
});

// The production request budget (10 s, activities/providers/http.ts): a shorter one can expire on a
// loaded 2-core machine while this process waits for CPU, failing a call nothing faulted.
const adapter = (): ProviderAdapter => createQfpayAdapter(sb.config.providers.qfpay!);
/** A paid order whose QFPay sysdtm lies `daysAgo` days back: 40 days is always an earlier calendar month. */
const make = async (state: string, daysAgo = 40): Promise<OrderRef> => {
  const createdAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  const o = await sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800201', createdAt });
  const { merchantId, orderId, providerOrderId, amount, payType } = o;
  return { provider: 'qfpay', merchantId, orderId, providerOrderId, amount, payType, createdAt: o.createdAt };
};
const full = (order: OrderRef) => ({ refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 });
const refundsOf = async (order: OrderRef): Promise<number> => {
  const { entries } = await sb.admin<{ entries: { orderId: string; kind: string }[] }>('GET', '/ledger');
  return entries.filter((e) => e.orderId === order.orderId && e.kind === 'refund').length;
};
/** The OrderRef of a caller that never learnt the syssn. */
const bySyssnUnknown = (order: OrderRef): OrderRef => ({ ...order, providerOrderId: undefined });
/** The simulator's clock on the first day of the next Hong Kong month: the refunds made now lie in "last month". */
const moveQfpayToNextMonth = (): void => {
  const local = new Date(Date.now() + 8 * 3_600_000);
  const firstOfNext = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1, 2));
  qfpaySandboxSettings.now = () => firstOfNext;
};

describe('payments of an earlier month', () => {
  it('an order created last month is found by out_trade_no (syssn not known): paid, with its syssn', async () => {
    const order = await make('paid');
    const seen = await adapter().queryOrder(bySyssnUnknown(order));
    expect(seen).toMatchObject({ status: 'paid', providerOrderId: order.providerOrderId });
  });

  it('its refund, with the syssn looked up by out_trade_no, goes through once', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(bySyssnUnknown(order), full(order))).toMatchObject({ result: 'succeeded' });
    expect(await refundsOf(order)).toBe(1);
  });

  it("last month's payment with this month's refund reads as fully refunded", async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
    const seen = await adapter().queryOrder(bySyssnUnknown(order));
    expect(seen).toMatchObject({ status: 'refunded', refundedAmount: 2500, full: true });
  });

  it('an order created 3 days ago (maybe this month, maybe the last) is found either way', async () => {
    const order = await make('paid', 3);
    expect(await adapter().queryOrder(bySyssnUnknown(order))).toMatchObject({ status: 'paid' });
  });

  it('an order QFPay never saw is still not_found when every month since createdAt was searched', async () => {
    const order = await make('paid');
    const seen = await adapter().queryOrder({ ...bySyssnUnknown(order), orderId: 'NOSUCHORDER' });
    expect(seen).toEqual({ status: 'not_found', providerCode: 'no rows' });
  });

  it('a createdAt more than two years back is refused, not searched month by month', async () => {
    const order = await make('paid', 3 * 365);
    await expect(adapter().queryOrder(bySyssnUnknown(order))).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('createdAt'),
    });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });
});

describe('refunds confirmed in the next month', () => {
  it('queryRefund finds a refund made last month', async () => {
    const order = await make('paid');
    const first = await adapter().refundOrder(order, full(order));
    expect(first).toMatchObject({ result: 'succeeded' });
    moveQfpayToNextMonth();
    const found = await adapter().queryRefund(order, full(order).refundKey);
    expect(found).toEqual({ status: 'succeeded', providerCode: 'respcd=0000', refundId: first.refundId, amount: 2500 });
  });

  it('the same refund key again (duplicate, 1102) is "already", never a second refund', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
    moveQfpayToNextMonth();
    const again = await adapter().refundOrder(order, full(order));
    expect(again).toMatchObject({ result: 'already', providerCode: 'respcd=1102,existing respcd=0000' });
    expect(await refundsOf(order)).toBe(1);
  });
});

describe('without createdAt the months before this one cannot be searched', () => {
  it('nothing in the current month is unknown, never not_found', async () => {
    const order = await make('paid');
    const seen = await adapter().queryOrder({ ...bySyssnUnknown(order), createdAt: undefined });
    expect(seen).toMatchObject({ status: 'unknown', providerCode: 'month_unknown' });
  });

  it('an order of this month is still found', async () => {
    const order = await make('paid', 0);
    expect(await adapter().queryOrder({ ...bySyssnUnknown(order), createdAt: undefined })).toMatchObject({
      status: 'paid',
    });
  });

  it('by syssn every month is searched (QFPay ignores the range next to a syssn)', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, createdAt: undefined })).toMatchObject({ status: 'paid' });
  });

  it('a refund key not seen this month is not trusted as not_found', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
    moveQfpayToNextMonth();
    await expect(
      adapter().queryRefund({ ...order, createdAt: undefined }, full(order).refundKey),
    ).rejects.toMatchObject({
      type: 'untrusted_response',
      message: expect.stringContaining('createdAt'),
    });
  });
});
