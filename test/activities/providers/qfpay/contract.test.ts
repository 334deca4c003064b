/** The QFPay adapter against the sandbox over real HTTP: every call, every order state, every fault. */
import { createQfpayAdapter } from '../../../../activities/providers/qfpay/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings } from '../../../../sandbox/providers/qfpay/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetQfpaySandboxSettings();
  await sb.admin('DELETE', '/faults');
});

const adapter = (over: Record<string, unknown> = {}): ProviderAdapter => createQfpayAdapter({ ...sb.config.providers.qfpay!, ...over }, { timeoutMs: 500 });
const make = async (state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> => {
  const o = await sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800208', ...extra });
  return { provider: 'qfpay', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType: o.payType, createdAt: o.createdAt };
};
const keyOf = (order: OrderRef, n = 1): string => `${order.orderId}-RF${n}`;
const full = (order: OrderRef, n = 1) => ({ refundKey: keyOf(order, n), amount: order.amount!, totalAmount: order.amount! });
const stateOf = async (order: OrderRef): Promise<string> => (await sb.admin('GET', `/orders/qfpay/${order.orderId}`)).state;
const fault = (call: string, kind: string, extra: Record<string, unknown> = {}) => sb.admin('POST', '/faults', { provider: 'qfpay', call, kind, ...extra });
/** Money movements the ledger recorded for this order, by kind. */
const moves = async (order: OrderRef) => {
  const { entries, overReturned } = await sb.admin('GET', '/ledger');
  const mine = entries.filter((e: { orderId: string }) => e.orderId === order.orderId);
  const sum = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).reduce((s: number, e: { amount: number }) => s + e.amount, 0);
  const count = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).length;
  return { paid: sum('payment'), refunds: count('refund'), refunded: sum('refund'), reversals: count('reversal_return'), overReturned: overReturned.length };
};

describe('query', () => {
  it.each([
    ['unpaid', { status: 'paying', providerCode: 'respcd=1143,cancel=0' }],
    ['paying', { status: 'paying', providerCode: 'respcd=1145,cancel=0' }],
    ['paid', { status: 'paid', providerCode: 'respcd=0000,cancel=0' }],
    ['closed', { status: 'closed', reason: 'closed', providerCode: 'respcd=1142,cancel=2' }],
    ['reversed', { status: 'closed', reason: 'reversed', providerCode: 'respcd=1263,cancel=1' }],
    ['expired', { status: 'closed', reason: 'expired' }],
    ['failed', { status: 'closed', reason: 'failed' }],
    ['refunded', { status: 'refunded', refundedAmount: 2500, full: true, providerCode: 'respcd=0000,cancel=3' }],
    ['partially_refunded', { status: 'refunded', refundedAmount: 1250, full: false, providerCode: 'respcd=0000,cancel=5' }],
  ])('a %s order reads as %j', async (state, want) => {
    const order = await make(state);
    expect(await adapter().queryOrder(order)).toMatchObject({ ...want, providerOrderId: order.providerOrderId, amount: 2500, payType: '800208' });
  });

  it('a paid order carries its Hong Kong paid time', async () => {
    const obs = await adapter().queryOrder(await make('paid'));
    expect(obs).toMatchObject({ paidAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/) });
    expect(Math.abs(Date.parse((obs as { paidAt: string }).paidAt) - Date.now())).toBeLessThan(60_000);
  });

  it('a customer still entering the password answers paying, then paid', async () => {
    const order = await make('paying', { payingQueries: 1, thenState: 'paid' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paying' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('by out_trade_no when the syssn is not known; the answer supplies it', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: undefined })).toMatchObject({ status: 'paid', providerOrderId: order.providerOrderId });
  });

  it('not found by syssn is asked again by out_trade_no: another syssn is unknown, nothing is not_found', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: '20200101000200020000000000' })).toMatchObject({ status: 'unknown', providerCode: 'other_order' });
    expect(await adapter().queryOrder({ ...order, orderId: 'NOSUCHORDER', providerOrderId: '20200101000200020000000000' })).toEqual({ status: 'not_found', providerCode: 'no rows' });
    expect(await adapter().queryOrder({ ...order, orderId: 'NOSUCHORDER', providerOrderId: undefined })).toEqual({ status: 'not_found', providerCode: 'no rows' });
  });

  it('a syssn that belongs to another out_trade_no is unknown', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, orderId: 'SOMEONE-ELSE' })).toMatchObject({ status: 'unknown', providerCode: 'other_order' });
  });

  it('if queries do not return refund rows, a refunded order is a refund of unknown size (never "paid", never "full")', async () => {
    qfpaySandboxSettings.refundRowsWithPayment = false;
    expect(await adapter().queryOrder(await make('refunded'))).toMatchObject({ status: 'refunded', refundedAmount: 0, full: false, providerCode: 'respcd=0000,cancel=3,no refund rows' });
    expect(await adapter().queryOrder(await make('partially_refunded'))).toMatchObject({ status: 'refunded', refundedAmount: 0, full: false });
  });

  it('MD5 and SHA256 request signatures; SHA256 answers when the server echoes the type', async () => {
    const order = await make('paid');
    expect(await adapter({ signType: 'MD5' }).queryOrder(order)).toMatchObject({ status: 'paid' });
    expect(await adapter({ signType: 'SHA256' }).queryOrder(order)).toMatchObject({ status: 'paid' });
    qfpaySandboxSettings.responseSignType = 'request';
    expect(await adapter({ signType: 'SHA256' }).queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('credentials QFPay refuses are our mistake, not an endless retry', async () => {
    const order = await make('paid');
    await expect(adapter({ clientKey: 'F'.repeat(32) }).queryOrder(order)).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: '1108' } });
    await expect(adapter({ appCode: 'NOSUCHAPPCODE' }).queryOrder(order)).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: '1108' } });
    // An issued mchid must be sent (docs/providers/qfpay.md §1).
    await expect(adapter({ mchid: undefined }).queryOrder(order)).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: '1104' } });
  });

  it("an order of another mchid is a configuration error, before any request", async () => {
    const order = await make('paid');
    await expect(adapter().queryOrder({ ...order, merchantId: 'OtherMchid1' })).rejects.toMatchObject({ type: 'configuration' });
    await expect(adapter().refundOrder({ ...order, merchantId: 'OtherMchid1' }, full(order))).rejects.toMatchObject({ type: 'configuration' });
    expect(await moves(order)).toMatchObject({ refunds: 0 });
  });
});

describe.each([
  ['reverse', 'reversed'],
  ['close', 'closed'],
] as const)('%s', (call, cancelledState) => {
  const run = (a: ProviderAdapter, order: OrderRef) => (call === 'reverse' ? a.reverseOrder(order) : a.closeOrder(order));

  it.each([
    ['unpaid', { result: 'done', providerCode: 'respcd=0000' }, cancelledState],
    ['paying', { result: 'done', providerCode: 'respcd=0000' }, cancelledState],
    ['paid', { result: 'rejected', providerCode: 'respcd=1297', message: expect.stringContaining('not supported') }, 'paid'],
    ['closed', { result: 'already', providerCode: 'respcd=1264' }, 'closed'],
    ['reversed', { result: 'already', providerCode: 'respcd=1263' }, 'reversed'],
    ['expired', { result: 'already', providerCode: 'respcd=1181' }, 'expired'],
    ['failed', { result: 'already', providerCode: 'respcd=1142' }, 'failed'],
    ['refunded', { result: 'rejected', providerCode: 'respcd=1262' }, 'refunded'],
  ])('a %s order: %j, then %s', async (state, want, after) => {
    const order = await make(state);
    expect(await run(adapter(), order)).toMatchObject(want);
    expect(await stateOf(order)).toBe(after);
  });

  it('is confirmed by a query, and a repeat is "already"; no money moves', async () => {
    const order = await make('unpaid');
    expect(await run(adapter(), order)).toMatchObject({ result: 'done' });
    const reason = call === 'reverse' ? 'reversed' : 'closed';
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason });
    expect(await run(adapter(), order)).toMatchObject({ result: 'already' });
    expect(await moves(order)).toEqual({ paid: 0, refunds: 0, refunded: 0, reversals: 0, overReturned: 0 });
  });

  it('by out_trade_no when the syssn is not known', async () => {
    const order = await make('unpaid');
    expect(await run(adapter(), { ...order, providerOrderId: undefined })).toMatchObject({ result: 'done' });
    expect(await stateOf(order)).toBe(cancelledState);
  });

  it('a paid order answered 0000 without a syssn is "not supported", and stays paid', async () => {
    qfpaySandboxSettings.cancelPaidAnswer = 'no_syssn';
    const order = await make('paid');
    expect(await run(adapter(), order)).toMatchObject({ result: 'rejected', providerCode: 'respcd=0000,no syssn' });
    expect(await moves(order)).toMatchObject({ paid: 2500, refunds: 0, reversals: 0 });
  });

  it('needs the original amount and time: missing ones are named, wrong ones are our mistake', async () => {
    const order = await make('unpaid');
    await expect(run(adapter(), { ...order, amount: undefined })).rejects.toMatchObject({ type: 'request_rejected', message: expect.stringContaining('OrderRef.amount') });
    await expect(run(adapter(), { ...order, createdAt: undefined })).rejects.toMatchObject({ type: 'request_rejected', message: expect.stringContaining('OrderRef.createdAt') });
    await expect(run(adapter(), { ...order, createdAt: 'yesterday' })).rejects.toMatchObject({ type: 'request_rejected', message: expect.stringContaining('OrderRef.createdAt') });
    await expect(run(adapter(), { ...order, amount: 2499 })).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: '1266' } });
    const anHourLater = new Date(Date.parse(order.createdAt!) + 3_600_000).toISOString();
    await expect(run(adapter(), { ...order, createdAt: anHourLater })).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: '1267' } });
    expect(await stateOf(order)).toBe('unpaid');
  });

  it('an order QFPay does not know is rejected (1136)', async () => {
    const order = await make('unpaid');
    expect(await run(adapter(), { ...order, providerOrderId: '20200101000200020000000000' })).toMatchObject({ result: 'rejected', providerCode: 'respcd=1136' });
  });
});

describe('refund', () => {
  it('a paid order: succeeded with the refund syssn, visible by its key and in the order query; one refund', async () => {
    const order = await make('paid');
    const r = await adapter().refundOrder(order, full(order));
    expect(r).toMatchObject({ result: 'succeeded', providerCode: 'respcd=0000', refundId: expect.stringMatching(/^\d{26}$/) });
    expect(await adapter().queryRefund(order, keyOf(order))).toEqual({ status: 'succeeded', providerCode: 'respcd=0000', refundId: r.refundId, amount: 2500 });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500, full: true });
    expect(await moves(order)).toEqual({ paid: 2500, refunds: 1, refunded: 2500, reversals: 0, overReturned: 0 });
  });

  it('the same key again is "already" (1102, looked up), never a second refund', async () => {
    const order = await make('paid');
    const first = await adapter().refundOrder(order, full(order));
    expect(await adapter().refundOrder(order, full(order))).toEqual({ result: 'already', providerCode: 'respcd=1102,existing respcd=0000', refundId: first.refundId });
    qfpaySandboxSettings.duplicateRefundCode = '2011';
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already', providerCode: 'respcd=2011,existing respcd=0000' });
    expect(await moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('partial refunds add up to the amount; beyond it is rejected (1272)', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, { refundKey: keyOf(order, 1), amount: 1000, totalAmount: 2500 })).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 1000, full: false });
    expect(await adapter().refundOrder(order, { refundKey: keyOf(order, 2), amount: 1600, totalAmount: 2500 })).toMatchObject({ result: 'rejected', providerCode: 'respcd=1272' });
    expect(await adapter().refundOrder(order, { refundKey: keyOf(order, 3), amount: 1500, totalAmount: 2500 })).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500, full: true });
    expect(await moves(order)).toMatchObject({ refunds: 2, refunded: 2500, overReturned: 0 });
  });

  it('a key already used for another amount is rejected, not counted as ours', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, { refundKey: keyOf(order), amount: 1000, totalAmount: 2500 });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'rejected', message: expect.stringContaining('used for 1000') });
    expect(await moves(order)).toMatchObject({ refunds: 1, refunded: 1000 });
  });

  it("a key that is a payment's out_trade_no is our mistake", async () => {
    const order = await make('paid');
    const other = await make('paid');
    await expect(adapter().refundOrder(order, { ...full(order), refundKey: other.orderId })).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await moves(order)).toMatchObject({ refunds: 0 });
  });

  it('without a syssn, it is looked up by out_trade_no first', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder({ ...order, providerOrderId: undefined }, full(order))).toMatchObject({ result: 'succeeded' });
    await expect(adapter().refundOrder({ ...order, orderId: 'NOSUCHORDER', providerOrderId: undefined }, full(order))).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('providerOrderId'),
    });
    expect(await moves(order)).toMatchObject({ refunds: 1 });
  });

  it.each([
    ['unpaid', 'rejected', 'respcd=1261'],
    ['closed', 'rejected', 'respcd=1264'],
    ['reversed', 'rejected', 'respcd=1263'],
    ['expired', 'rejected', 'respcd=1181'],
    ['refunded', 'already', 'respcd=1262'],
  ])('a %s order: %s (%s), nothing moves', async (state, result, providerCode) => {
    const order = await make(state);
    const before = await moves(order);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result, providerCode });
    expect(await moves(order)).toEqual(before);
  });

  it.each([
    ['FPS does not refund', { payType: '802001' }, {}, 'respcd=1155'],
    ['23:30-00:30 Hong Kong', {}, { refundBlackout: true, now: () => new Date('2024-05-01T15:45:00Z') }, 'respcd=1265'],
    ["today's unsettled amount is too low", {}, { unsettledBalance: 100 }, 'respcd=1269'],
  ])('%s: rejected with the reason, nothing moves', async (_why, orderExtra, settings, providerCode) => {
    Object.assign(qfpaySandboxSettings, settings);
    const order = await make('paid', orderExtra);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'rejected', providerCode });
    expect(await moves(order)).toMatchObject({ refunds: 0 });
  });

  it('outside the blackout the same refund goes through', async () => {
    Object.assign(qfpaySandboxSettings, { refundBlackout: true, now: () => new Date('2024-05-01T16:31:00Z') });
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
  });

  it('a refund still processing: in_progress, then "accepted" by its key, then succeeded; one refund', async () => {
    const order = await make('paid', { refundProcessingQueries: 2 });
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'respcd=1145' } });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'accepted', providerCode: 'respcd=1102,existing respcd=1145' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500 });
    expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(await moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('an unknown key is not_found; a bad key or amount never reaches QFPay', async () => {
    const order = await make('paid');
    expect(await adapter().queryRefund(order, keyOf(order, 9))).toEqual({ status: 'not_found', providerCode: 'no rows' });
    await expect(adapter().refundOrder(order, { ...full(order), refundKey: '' })).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().refundOrder(order, { ...full(order), amount: 0 })).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().refundOrder(order, { ...full(order), amount: 12.5 })).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await moves(order)).toMatchObject({ refunds: 0 });
  });
});

describe('faults', () => {
  /** A write for each call, the order state it needs, and what a retry answers if the first attempt landed or not. */
  const WRITES = {
    close: { state: 'unpaid', run: (a: ProviderAdapter, o: OrderRef) => a.closeOrder(o), landed: 'already', notLanded: 'done' },
    reverse: { state: 'unpaid', run: (a: ProviderAdapter, o: OrderRef) => a.reverseOrder(o), landed: 'already', notLanded: 'done' },
    refund: { state: 'paid', run: (a: ProviderAdapter, o: OrderRef) => a.refundOrder(o, full(o)), landed: 'already', notLanded: 'succeeded' },
  } as const;
  const KINDS = [
    ['http_500', 'transient', false],
    ['timeout', 'transient', false],
    ['reset', 'transient', false],
    ['rate_limit', 'rate_limited', false],
    ['in_progress', 'in_progress', false],
    ['bad_signature', 'untrusted_response', true],
    ['applied_response_lost', 'transient', true],
  ] as const;

  describe.each(Object.entries(WRITES))('%s', (call, w) => {
    it.each(KINDS)('%s is thrown as %s; the retry answers as if it %s landed, and money moves once at most', async (kind, type, landed) => {
      const order = await make(w.state);
      await fault(call, kind, kind === 'timeout' ? { holdMs: 1000 } : {});
      await expect(w.run(adapter(), order)).rejects.toMatchObject({ type });
      expect(await w.run(adapter(), order)).toMatchObject({ result: landed ? w.landed : w.notLanded });
      const m = await moves(order);
      expect(m.overReturned).toBe(0);
      expect(m.refunds).toBe(call === 'refund' ? 1 : 0);
    });
  });

  it('in_progress codes cycle as given (1143, 1145), each thrown with its code', async () => {
    const order = await make('unpaid');
    await fault('reverse', 'in_progress', { count: 3, codes: ['1143', '1145'] });
    for (const code of ['1143', '1145', '1143']) {
      await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: `respcd=${code}`, retryAfterMs: 5_000 } });
    }
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
  });

  describe('query', () => {
    it.each([
      ['http_500', 'transient'],
      ['timeout', 'transient'],
      ['reset', 'transient'],
      ['rate_limit', 'rate_limited'],
      ['applied_response_lost', 'transient'],
    ])('%s is thrown as %s', async (kind, type) => {
      const order = await make('paid');
      await fault('query', kind, kind === 'timeout' ? { holdMs: 1000 } : {});
      await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
      expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
    });

    it('a forged answer (bad_signature) is unknown, never paid', async () => {
      const order = await make('paid');
      await fault('query', 'bad_signature');
      expect(await adapter().queryOrder(order)).toEqual({ status: 'unknown', reason: 'query answer signature invalid', providerCode: 'signature_invalid' });
    });

    it('in_progress shows the payment row as processing', async () => {
      const order = await make('paid');
      await fault('query', 'in_progress', { codes: ['1145'] });
      expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paying', providerCode: 'respcd=1145,cancel=0' });
    });
  });

  describe('queryRefund', () => {
    const refunded = async () => {
      const order = await make('paid');
      await adapter().refundOrder(order, full(order));
      return order;
    };
    it.each([
      ['http_500', 'transient'],
      ['timeout', 'transient'],
      ['reset', 'transient'],
      ['rate_limit', 'rate_limited'],
      ['applied_response_lost', 'transient'],
      ['bad_signature', 'untrusted_response'],
    ])('%s is thrown as %s', async (kind, type) => {
      const order = await refunded();
      await fault('queryRefund', kind, kind === 'timeout' ? { holdMs: 1000 } : {});
      await expect(adapter().queryRefund(order, keyOf(order))).rejects.toMatchObject({ type });
      expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'succeeded' });
    });

    it('in_progress shows the refund as processing', async () => {
      const order = await refunded();
      await fault('queryRefund', 'in_progress');
      expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'processing', providerCode: 'respcd=1145' });
    });

    it('the lookup after a duplicate key is a refund query: its faults reach refundOrder', async () => {
      const order = await refunded();
      await fault('queryRefund', 'bad_signature');
      await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({ type: 'untrusted_response' });
      expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
      expect(await moves(order)).toMatchObject({ refunds: 1 });
    });
  });
});
