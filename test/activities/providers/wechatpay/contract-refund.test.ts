/**
 * The WeChat Pay adapter's refundOrder and queryRefund against the sandbox over real HTTP, beyond the
 * shared contract (./contract.test.ts): out_refund_no across amounts and orders, every refund rule,
 * and the documented retry delay, with the ledger showing that money moved exactly once.
 */
import type { OrderRef, RefundRequest } from '../../../../domain/index.js';
import { WECHATPAY_IN_PROGRESS_RETRY_MS } from '../../../../activities/providers/wechatpay/mapper.js';
import { wechatpaySandboxSettings as settings } from '../../../../sandbox/providers/wechatpay/index.js';
import { stored, wechatpaySandbox } from './contract-helpers.js';

const px = wechatpaySandbox();
const adapter = () => px.adapter();
const make = px.make;
const keyOf = (order: OrderRef, n = 1) => `${order.orderId}-RF${n}`;
const full = (order: OrderRef, n = 1): RefundRequest => ({
  refundKey: keyOf(order, n),
  amount: order.amount!,
  totalAmount: order.amount!,
  reason: '订单取消',
});
const part = (order: OrderRef, n: number, amount: number): RefundRequest => ({
  refundKey: keyOf(order, n),
  amount,
  totalAmount: order.amount!,
});
const DAY = 86_400_000;

describe('refund (§5.6)', () => {
  it('without a transaction_id the refund names the out_trade_no', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder({ ...order, providerOrderId: undefined }, full(order))).toMatchObject({
      result: 'succeeded',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, refunded: 4200 });
  });

  it('partial refunds under their own keys, up to the refundable amount; beyond it is our mistake', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, part(order, 1, 1000))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, part(order, 2, 3200))).toMatchObject({ result: 'succeeded' });
    await expect(adapter().refundOrder(order, part(order, 3, 1))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'INVALID_REQUEST' },
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 2, refunded: 4200, overReturned: 0 });
  });

  it('the same out_refund_no with another amount is refused (INVALID_REQUEST) and moves nothing', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, part(order, 1, 1000));
    await expect(adapter().refundOrder(order, part(order, 1, 2000))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { httpStatus: 400, providerCode: 'INVALID_REQUEST' },
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, refunded: 1000 });
  });

  it('if WeChat answered that with the existing refund instead, it is still not the refund asked for', async () => {
    settings.sameKeyOtherAmount = 'existing';
    const order = await make('paid');
    await adapter().refundOrder(order, part(order, 1, 1000));
    expect(await adapter().refundOrder(order, part(order, 1, 2000))).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('already names a refund of 1000, not 2000'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, refunded: 1000 });
  });

  it('an out_refund_no already used by another order of the sub-merchant is refused', async () => {
    const a = await make('paid');
    const b = await make('paid');
    await adapter().refundOrder(a, full(a));
    await expect(adapter().refundOrder(b, { ...full(b), refundKey: keyOf(a) })).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'INVALID_REQUEST' },
    });
    expect(await px.moves(b)).toMatchObject({ refunds: 0 });
  });

  it('a processing refund is accepted, then succeeds on query', async () => {
    const order = await make('paid', { refundProcessingQueries: 2 });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'accepted',
      providerCode: 'status=PROCESSING',
    });
    expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'processing', amount: 4200 });
    expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'succeeded', amount: 4200 });
    expect(await px.moves(order)).toMatchObject({ refunds: 1 });
  });

  it('a reversed paid order has nothing left to refund', async () => {
    const order = await make('paid', { payType: 'MICROPAY' });
    await adapter().reverseOrder(order);
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'INVALID_REQUEST' },
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0, returned: 4200, overReturned: 0 });
  });

  it('more than a year after payment is refused (INVALID_REQUEST)', async () => {
    const order = await make('paid');
    stored(px, order).paidAt = new Date(Date.now() - 366 * DAY);
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'INVALID_REQUEST' },
    });
    stored(px, order).paidAt = new Date(Date.now() - 364 * DAY);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
  });

  it('the 51st refund of an order is refused (RULE_LIMIT), as data', async () => {
    const order = await make('paid', { amount: 5100 });
    for (let n = 1; n <= 50; n += 1)
      expect(await adapter().refundOrder(order, part(order, n, 100))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, part(order, 51, 100))).toMatchObject({
      result: 'rejected',
      providerCode: 'RULE_LIMIT',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 50, refunded: 5000 });
  });

  it('a balance too low is refused (NOT_ENOUGH), as data; after a top-up the same key refunds', async () => {
    const order = await make('paid');
    settings.availableBalance = 4199;
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'rejected',
      providerCode: 'NOT_ENOUGH',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
    settings.availableBalance = 4200;
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
  });

  it('what the request needs is checked before anything is sent', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder(order, { ...full(order), refundKey: 'key with spaces' })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('out_refund_no'),
    });
    await expect(adapter().refundOrder(order, { ...full(order), amount: 0 })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder(order, { ...full(order), totalAmount: 4100 })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder({ ...order, currency: 'USD' }, full(order))).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('CNY'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it('a reason is cut to 80 characters without 4-byte characters (WeChat refuses them)', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, { ...full(order), reason: `退款😀${'很'.repeat(100)}` })).toMatchObject({
      result: 'succeeded',
    });
    expect(stored(px, order).refunds[0]!.extra.reason).toBe(`退款${'很'.repeat(78)}`);
  });

  it('in_progress (202) asks for the same request again after the documented delay', async () => {
    await px.fault('refund', 'in_progress');
    const order = await make('paid');
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: 'HTTP_202', retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS },
    });
  });
});

describe('refund query (§5.7)', () => {
  it('finds the refund by out_refund_no within the sub-merchant', async () => {
    const order = await make('paid');
    const made = await adapter().refundOrder(order, part(order, 1, 1500));
    expect(await adapter().queryRefund(order, keyOf(order))).toEqual({
      status: 'succeeded',
      providerCode: 'status=SUCCESS',
      refundId: made.refundId,
      amount: 1500,
    });
    expect(await adapter().queryRefund({ ...order, merchantId: '1900000999' }, keyOf(order))).toEqual({
      status: 'not_found',
      providerCode: 'RESOURCE_NOT_EXISTS',
    });
    expect(await adapter().queryRefund(order, keyOf(order, 2))).toEqual({
      status: 'not_found',
      providerCode: 'RESOURCE_NOT_EXISTS',
    });
  });

  it("a refund key that is another order's refund is our mistake", async () => {
    const a = await make('paid');
    const b = await make('paid');
    await adapter().refundOrder(a, full(a));
    await expect(adapter().queryRefund(b, keyOf(a))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'other_order' },
    });
  });

  it('a refund that failed at the provider reads as failed', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, full(order));
    stored(px, order).refunds[0]!.status = 'failed';
    expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({
      status: 'failed',
      providerCode: 'status=CLOSED',
    });
  });
});
