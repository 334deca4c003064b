/**
 * The QFPay adapter against the sandbox over real HTTP: the shared contract (../contract/suite.ts)
 * with QFPay's respcd codes, then what only QFPay has: lookups by out_trade_no, the original amount
 * and time a cancel needs, partial refunds, its refund refusals and windows, signature types.
 */
import { qfpayProvider } from '../../../../activities/providers/qfpay/index.js';
import type { QfpayConfig } from '../../../../activities/providers/qfpay/config.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { FAULT_KINDS } from '../../../../sandbox/faults.js';
import { qfpaySandboxSettings } from '../../../../sandbox/providers/qfpay/index.js';
import { like, thrown } from '../contract/outcomes.js';
import type { CancelRow, ProviderContract } from '../contract/spec.js';
import { describeProviderContract } from '../contract/suite.js';

const SYSSN = /^\d{26}$/;
const keyOf = (order: OrderRef, n = 1): string => `${order.orderId}-RF${n}`;

/** Reverse and close answer the same codes (docs/providers/qfpay.md): only the cancelled state differs. */
const cancelRows = (cancelled: 'reversed' | 'closed'): CancelRow[] => [
  {
    state: 'unpaid',
    answer: like({ result: 'done', providerCode: 'respcd=0000' }),
    repeat: like({ result: 'already' }),
    after: cancelled,
  },
  {
    state: 'paying',
    answer: like({ result: 'done', providerCode: 'respcd=0000' }),
    repeat: like({ result: 'already' }),
    after: cancelled,
  },
  ...(
    [
      ['paid', { result: 'rejected', providerCode: 'respcd=1260', message: expect.stringContaining('已支付') }],
      ['closed', { result: 'already', providerCode: 'respcd=1264' }],
      ['reversed', { result: 'already', providerCode: 'respcd=1263' }],
      ['expired', { result: 'already', providerCode: 'respcd=1181' }],
      ['failed', { result: 'already', providerCode: 'respcd=1142' }],
      ['refunded', { result: 'rejected', providerCode: 'respcd=1262' }],
    ] as const
  ).map(([state, answer]) => ({ state, answer: like(answer), repeat: like(answer), after: state })),
];

const QFPAY: ProviderContract<QfpayConfig> = {
  descriptor: qfpayProvider,
  order: { amount: 2500, payType: '800208' },
  providerOrderIdKnown: 'always',
  refundKey: keyOf,
  notSupported: [],
  query: {
    echoes: ['providerOrderId', 'payType'],
    byState: {
      unpaid: { status: 'paying', providerCode: 'respcd=1143,cancel=0' },
      paying: { status: 'paying', providerCode: 'respcd=1145,cancel=0' },
      paid: { status: 'paid', providerCode: 'respcd=0000,cancel=0' },
      closed: { status: 'closed', reason: 'closed', providerCode: 'respcd=1142,cancel=2' },
      reversed: { status: 'closed', reason: 'reversed', providerCode: 'respcd=1263,cancel=1' },
      expired: { status: 'closed', reason: 'expired' },
      failed: { status: 'closed', reason: 'failed' },
      refunded: { status: 'refunded', refundedAmount: 2500, full: true, providerCode: 'respcd=0000,cancel=3' },
      partially_refunded: {
        status: 'refunded',
        refundedAmount: 1250,
        full: false,
        providerCode: 'respcd=0000,cancel=5',
      },
    },
    // Hong Kong time.
    paidAt: { format: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, withinMs: 60_000 },
    // A customer still entering the password.
    whilePaying: { reads: 'paying' },
    // Not found by out_trade_no (no syssn known): nothing at all is not_found.
    neverSeen: {
      ref: (order) => ({ ...order, orderId: 'NOSUCHORDER', providerOrderId: undefined }),
      reads: { status: 'not_found', providerCode: 'no rows' },
    },
    foreignOrder: like({ status: 'unknown', providerCode: 'other_order' }),
    badSignature: { status: 'unknown', reason: 'query answer signature invalid', providerCode: 'signature_invalid' },
    // The payment row shows as processing.
    inProgress: { codes: ['1145'], reads: like({ status: 'paying', providerCode: 'respcd=1145,cancel=0' }) },
  },
  cancels: { reverse: { rows: cancelRows('reversed') }, close: { rows: cancelRows('closed') } },
  writeFaults: {
    close: {
      state: 'unpaid',
      kinds: FAULT_KINDS,
      applied: 'closed',
      afterApplied: 'already',
      afterNothing: 'done',
      money: { payments: 0, refunds: 0, reversals: 0 },
    },
    reverse: {
      state: 'unpaid',
      kinds: FAULT_KINDS,
      applied: 'reversed',
      afterApplied: 'already',
      afterNothing: 'done',
      money: { payments: 0, refunds: 0, reversals: 0 },
    },
    refund: {
      state: 'paid',
      kinds: FAULT_KINDS,
      applied: 'refunded',
      afterApplied: 'already',
      afterNothing: 'succeeded',
      money: { payments: 1, refunds: 1, reversals: 0 },
    },
  },
  refund: {
    // Succeeded with the refund's syssn, visible by its key and in the order query.
    first: like({ result: 'succeeded', providerCode: 'respcd=0000', refundId: expect.stringMatching(SYSSN) }),
    // The same key again is "already" (1102, looked up), never a second refund.
    repeat: (first) => ({
      result: 'already',
      providerCode: 'respcd=1102,existing respcd=0000',
      refundId: first.refundId,
    }),
    queryAfter: like({ status: 'refunded', refundedAmount: 2500, full: true }),
    refundQueryAfter: (first) => ({
      answer: { status: 'succeeded', providerCode: 'respcd=0000', refundId: first.refundId, amount: 2500 },
    }),
  },
  refundRefused: (
    [
      ['unpaid', 'rejected', 'respcd=1261'],
      ['closed', 'rejected', 'respcd=1264'],
      ['reversed', 'rejected', 'respcd=1263'],
      ['expired', 'rejected', 'respcd=1181'],
      ['refunded', 'already', 'respcd=1262'],
    ] as const
  ).map(([state, result, providerCode]) => [state, { answer: like({ result, providerCode }) }]),
  // QFPay does not reverse a paid order (1260 "already paid"): it must be refunded.
  reversePaid: {
    answer: like({ result: 'rejected', providerCode: 'respcd=1260' }),
    repeat: like({ result: 'rejected', providerCode: 'respcd=1260' }),
    queryAfter: like({ status: 'paid' }),
    money: { payments: 1, refunds: 0, reversals: 0 },
  },
  // Credentials QFPay refuses are our mistake, not an endless retry.
  wrongSecrets: [
    {
      name: 'a wrong client key',
      config: { clientKey: 'F'.repeat(32) },
      refusedAs: thrown('request_rejected', { details: like({ providerCode: '1108' }) }),
    },
    {
      name: 'an unknown app code',
      config: { appCode: 'NOSUCHAPPCODE' },
      refusedAs: thrown('request_rejected', { details: like({ providerCode: '1108' }) }),
    },
    // An issued mchid must be sent (docs/providers/qfpay.md §1).
    {
      name: 'no mchid',
      config: { mchid: undefined },
      refusedAs: thrown('request_rejected', { details: like({ providerCode: '1104' }) }),
    },
  ],
  wrongBaseUrl: { query: like({ status: 'unknown', providerCode: 'unreadable' }), write: thrown('untrusted_response') },
  refundQuery: {
    kinds: ['http_500', 'timeout', 'reset', 'rate_limit', 'applied_response_lost', 'bad_signature'],
    inProgress: like({ status: 'processing', providerCode: 'respcd=1145' }),
    unknownKey: { status: 'not_found', providerCode: 'no rows' },
  },
  // QFPay notifications carry no mchid.
  noticeMerchant: () => undefined,
};

const px = describeProviderContract(QFPAY);
const adapter = (over: Partial<QfpayConfig> = {}): ProviderAdapter => px.adapter(over);
const make = px.make;
const full = (order: OrderRef, n = 1) => ({
  refundKey: keyOf(order, n),
  amount: order.amount!,
  totalAmount: order.amount!,
});

describe('query (QFPay only)', () => {
  it('by out_trade_no when the syssn is not known; the answer supplies it', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: undefined })).toMatchObject({
      status: 'paid',
      providerOrderId: order.providerOrderId,
    });
  });

  it('not found by syssn is asked again by out_trade_no: another syssn is unknown, nothing is not_found', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: '20200101000200020000000000' })).toMatchObject({
      status: 'unknown',
      providerCode: 'other_order',
    });
    expect(
      await adapter().queryOrder({ ...order, orderId: 'NOSUCHORDER', providerOrderId: '20200101000200020000000000' }),
    ).toEqual({ status: 'not_found', providerCode: 'no rows' });
  });

  it('if queries do not return refund rows, a refunded order is a refund of unknown size (never "paid", never "full")', async () => {
    qfpaySandboxSettings.refundRowsWithPayment = false;
    expect(await adapter().queryOrder(await make('refunded'))).toMatchObject({
      status: 'refunded',
      refundedAmount: 0,
      full: false,
      providerCode: 'respcd=0000,cancel=3,no refund rows',
    });
    expect(await adapter().queryOrder(await make('partially_refunded'))).toMatchObject({
      status: 'refunded',
      refundedAmount: 0,
      full: false,
    });
  });

  it('MD5 and SHA256 request signatures; SHA256 answers are read when configured, never because the server says so', async () => {
    const order = await make('paid');
    expect(await adapter({ signType: 'MD5' }).queryOrder(order)).toMatchObject({ status: 'paid' });
    expect(await adapter({ signType: 'SHA256' }).queryOrder(order)).toMatchObject({ status: 'paid' });
    qfpaySandboxSettings.responseSignType = 'request';
    expect(await adapter({ signType: 'SHA256', answerSignType: 'SHA256' }).queryOrder(order)).toMatchObject({
      status: 'paid',
    });
    expect(await adapter({ signType: 'SHA256' }).queryOrder(order)).toMatchObject({ status: 'unknown' });
  });

  it('an order of another mchid is a configuration error, before any request', async () => {
    const order = await make('paid');
    await expect(adapter().queryOrder({ ...order, merchantId: 'OtherMchid1' })).rejects.toMatchObject({
      type: 'configuration',
    });
    await expect(adapter().refundOrder({ ...order, merchantId: 'OtherMchid1' }, full(order))).rejects.toMatchObject({
      type: 'configuration',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });
});

describe.each([
  ['reverse', 'reversed'],
  ['close', 'closed'],
] as const)('%s (QFPay only)', (call, cancelledState) => {
  const run = (a: ProviderAdapter, order: OrderRef) =>
    call === 'reverse' ? a.reverseOrder(order) : a.closeOrder(order);

  it('by out_trade_no when the syssn is not known', async () => {
    const order = await make('unpaid');
    expect(await run(adapter(), { ...order, providerOrderId: undefined })).toMatchObject({ result: 'done' });
    expect(await px.stateOf(order)).toBe(cancelledState);
  });

  it('a paid order answered 0000 without a syssn is "not supported", and stays paid', async () => {
    qfpaySandboxSettings.cancelPaidAnswer = 'no_syssn';
    const order = await make('paid');
    expect(await run(adapter(), order)).toMatchObject({ result: 'rejected', providerCode: 'respcd=0000,no syssn' });
    expect(await px.moves(order)).toMatchObject({ paid: 2500, refunds: 0, reversals: 0 });
  });

  it('a paid order answered 1297 (the 2018 reading of "not supported") is retried as "bank busy", and stays paid', async () => {
    qfpaySandboxSettings.cancelPaidAnswer = '1297';
    const order = await make('paid');
    await expect(run(adapter(), order)).rejects.toMatchObject({
      type: 'transient',
      message: expect.stringContaining('respcd 1297'),
    });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
    expect(await px.moves(order)).toMatchObject({ paid: 2500, refunds: 0, reversals: 0 });
  });

  it.each(['802001', '805801', '801008'])(
    'a Hong Kong pay type (%s) is never cancelled: 1150, whatever its state, and nothing changes',
    async (payType) => {
      for (const state of ['unpaid', 'paid'] as const) {
        const order = await make(state, { payType });
        expect(await run(adapter(), order)).toMatchObject({ result: 'rejected', providerCode: 'respcd=1150' });
        expect(await px.stateOf(order)).toBe(state);
      }
    },
  );

  it('needs the original amount and time: missing ones are named, wrong ones are our mistake', async () => {
    const order = await make('unpaid');
    await expect(run(adapter(), { ...order, amount: undefined })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('OrderRef.amount'),
    });
    await expect(run(adapter(), { ...order, createdAt: undefined })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('OrderRef.createdAt'),
    });
    await expect(run(adapter(), { ...order, createdAt: 'yesterday' })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('OrderRef.createdAt'),
    });
    await expect(run(adapter(), { ...order, amount: 2499 })).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: '1266' },
    });
    const anHourLater = new Date(Date.parse(order.createdAt!) + 3_600_000).toISOString();
    await expect(run(adapter(), { ...order, createdAt: anHourLater })).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: '1267' },
    });
    expect(await px.stateOf(order)).toBe('unpaid');
  });

  it('an order QFPay does not know is rejected (1136)', async () => {
    const order = await make('unpaid');
    expect(await run(adapter(), { ...order, providerOrderId: '20200101000200020000000000' })).toMatchObject({
      result: 'rejected',
      providerCode: 'respcd=1136',
    });
  });
});

describe('refund (QFPay only)', () => {
  it('a duplicate key answered 2011 instead of 1102 is still "already", never a second refund', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, full(order));
    qfpaySandboxSettings.duplicateRefundCode = '2011';
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'already',
      providerCode: 'respcd=2011,existing respcd=0000',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('partial refunds add up to the amount; beyond it is rejected (1272)', async () => {
    const order = await make('paid');
    expect(
      await adapter().refundOrder(order, { refundKey: keyOf(order, 1), amount: 1000, totalAmount: 2500 }),
    ).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 1000, full: false });
    expect(
      await adapter().refundOrder(order, { refundKey: keyOf(order, 2), amount: 1600, totalAmount: 2500 }),
    ).toMatchObject({ result: 'rejected', providerCode: 'respcd=1272' });
    expect(
      await adapter().refundOrder(order, { refundKey: keyOf(order, 3), amount: 1500, totalAmount: 2500 }),
    ).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500, full: true });
    expect(await px.moves(order)).toMatchObject({ refunds: 2, refunded: 2500, overReturned: 0 });
  });

  it('a key already used for another amount is rejected, not counted as ours', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, { refundKey: keyOf(order), amount: 1000, totalAmount: 2500 });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('used for 1000'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, refunded: 1000 });
  });

  it("a key that is a payment's out_trade_no is our mistake", async () => {
    const order = await make('paid');
    const other = await make('paid');
    await expect(adapter().refundOrder(order, { ...full(order), refundKey: other.orderId })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it('without a syssn, it is looked up by out_trade_no first', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder({ ...order, providerOrderId: undefined }, full(order))).toMatchObject({
      result: 'succeeded',
    });
    await expect(
      adapter().refundOrder({ ...order, orderId: 'NOSUCHORDER', providerOrderId: undefined }, full(order)),
    ).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('providerOrderId'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 1 });
  });

  it.each([
    ['FPS does not refund', { payType: '802001' }, {}, 'respcd=1155'],
    ['23:30-00:30 Hong Kong', {}, { refundBlackout: true, now: () => new Date('2024-05-01T15:45:00Z') }, 'respcd=1265'],
    ["today's unsettled amount is too low", {}, { unsettledBalance: 100 }, 'respcd=1269'],
  ])('%s: rejected with the reason, nothing moves', async (_why, orderExtra, settings, providerCode) => {
    Object.assign(qfpaySandboxSettings, settings);
    const order = await make('paid', orderExtra);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'rejected', providerCode });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it('outside the blackout the same refund goes through', async () => {
    Object.assign(qfpaySandboxSettings, { refundBlackout: true, now: () => new Date('2024-05-01T16:31:00Z') });
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded' });
  });

  it('a refund still processing: in_progress, then "accepted" by its key, then succeeded; one refund', async () => {
    const order = await make('paid', { refundProcessingQueries: 2 });
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: 'respcd=1145' },
    });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'accepted',
      providerCode: 'respcd=1102,existing respcd=1145',
    });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500 });
    expect(await adapter().queryRefund(order, keyOf(order))).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('an unknown key on an order never refunded is not_found; a bad key or amount never reaches QFPay', async () => {
    const order = await make('paid');
    expect(await adapter().queryRefund(order, keyOf(order, 9))).toEqual({
      status: 'not_found',
      providerCode: 'no rows',
    });
    await expect(adapter().refundOrder(order, { ...full(order), refundKey: '' })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder(order, { ...full(order), amount: 0 })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder(order, { ...full(order), amount: 12.5 })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });
});

describe('faults (QFPay only)', () => {
  it('in_progress codes cycle as given (1143, 1145), each thrown with its code', async () => {
    const order = await make('unpaid');
    await px.fault('reverse', 'in_progress', { count: 3, codes: ['1143', '1145'] });
    for (const code of ['1143', '1145', '1143']) {
      await expect(adapter().reverseOrder(order)).rejects.toMatchObject({
        type: 'in_progress',
        details: { providerCode: `respcd=${code}`, retryAfterMs: 5_000 },
      });
    }
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
  });

  it('the lookup after a duplicate key is a refund query: its faults reach refundOrder', async () => {
    const order = await make('paid');
    await adapter().refundOrder(order, full(order));
    await px.fault('queryRefund', 'bad_signature');
    await expect(adapter().refundOrder(order, full(order))).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
    expect(await px.moves(order)).toMatchObject({ refunds: 1 });
  });
});
