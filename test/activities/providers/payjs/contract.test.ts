/**
 * The PAYJS adapter against the sandbox over real HTTP: the shared contract (../contract/suite.ts)
 * with PAYJS's answers, then what only PAYJS has: its unconfirmed readings, its 30-day close and
 * 7-day reverse windows, whole-order refunds and the unsettled balance.
 */
import { payjsProvider } from '../../../../activities/providers/payjs/index.js';
import type { PayjsConfig } from '../../../../activities/providers/payjs/config.js';
import type { OrderRef } from '../../../../domain/index.js';
import { FAULT_KINDS } from '../../../../sandbox/faults.js';
import { payjsSandboxSettings } from '../../../../sandbox/providers/payjs/index.js';
import { like, thrown } from '../contract/outcomes.js';
import type { ProviderContract } from '../contract/spec.js';
import { describeProviderContract } from '../contract/suite.js';

const DAY = 86_400_000;
const done = like({ result: 'done' });
const rejected = like({ result: 'rejected' });

const PAYJS: ProviderContract<PayjsConfig> = {
  descriptor: payjsProvider,
  order: { amount: 2100 },
  providerOrderIdKnown: 'always',
  refundKey: (order, n) => `${order.orderId}:refund:${n}`,
  notSupported: ['queryRefund'],
  query: {
    echoes: ['providerOrderId'],
    byState: {
      unpaid: { status: 'unpaid' },
      // PAYJS has no paying state: status stays 0 until the customer has paid.
      paying: { status: 'unpaid' },
      paid: { status: 'paid', providerCode: 'status=1' },
      closed: { status: 'unpaid' },
      expired: { status: 'unpaid' },
      failed: { status: 'unpaid' },
      reversed: { status: 'unpaid' },
      // Default reading of docs/providers/payjs.md §8 Q3: status stays 1 once paid; check cannot show the refund.
      refunded: { status: 'paid' },
      partially_refunded: { status: 'paid' },
    },
    paidAt: { format: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, withinMs: 3_600_000 },
    whilePaying: { reads: 'unpaid' },
    neverSeen: {
      ref: (order) => ({ ...order, providerOrderId: '2000010100000000000000000' }),
      reads: like({ status: 'unknown', reason: expect.stringContaining('订单不存在') }),
    },
    foreignOrder: like({ status: 'unknown', reason: expect.stringContaining('belongs to') }),
    badSignature: like({ status: 'unknown', providerCode: 'sign' }),
    inProgress: { reads: like({ status: 'unknown', providerCode: 'return_code=0' }) },
  },
  cancels: {
    close: {
      rows: [
        { state: 'unpaid', answer: done, repeat: done, after: 'closed' },
        { state: 'paying', answer: done, repeat: done, after: 'closed' },
        { state: 'closed', answer: done, repeat: done, after: 'closed' },
        { state: 'expired', answer: done, repeat: done, after: 'expired' },
        { state: 'reversed', answer: done, repeat: done, after: 'reversed' },
        { state: 'paid', answer: rejected, repeat: rejected, after: 'paid' },
        { state: 'refunded', answer: rejected, repeat: rejected, after: 'refunded' },
      ],
    },
    reverse: {
      orderExtra: { payType: 'micropay' },
      rows: [
        // An unpaid order is closed without money.
        { state: 'unpaid', answer: done, repeat: done, after: 'reversed' },
        { state: 'refunded', answer: rejected, repeat: rejected, after: 'refunded' },
      ],
    },
  },
  writeFaults: {
    close: {
      state: 'unpaid',
      kinds: FAULT_KINDS,
      applied: 'closed',
      afterApplied: 'done',
      afterNothing: 'done',
      money: { payments: 0, refunds: 0, reversals: 0 },
    },
    reverse: {
      state: 'paid',
      extra: { payType: 'micropay' },
      kinds: FAULT_KINDS,
      applied: 'reversed',
      afterApplied: 'done',
      afterNothing: 'done',
      money: { payments: 1, refunds: 0, reversals: 1 },
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
    first: like({ result: 'succeeded', providerCode: 'return_code=1' }),
    // A repeat answers refund "1": already, nothing more goes back.
    repeat: () => like({ result: 'already', providerCode: 'refund=1' }),
    queryAfter: like({ status: 'paid' }),
    refundQueryAfter: () => thrown('not_supported'),
  },
  refundRefused: (['unpaid', 'closed', 'reversed', 'expired'] as const).map((state) => [
    state,
    { answer: like({ result: 'rejected', providerCode: 'return_code=0' }) },
  ]),
  reversePaid: {
    extra: { payType: 'micropay' },
    answer: done,
    repeat: done,
    queryAfter: like({ status: 'paid' }),
    money: { payments: 1, refunds: 0, reversals: 1 },
  },
  // A wrong key: PAYJS refuses our signature, and that is non-retryable on every call.
  wrongSecrets: [
    {
      name: 'a wrong key',
      config: { key: 'not-the-sandbox-key' },
      refusedAs: thrown('request_rejected', { retryable: false }),
    },
  ],
  wrongBaseUrl: { query: like({ status: 'unknown', providerCode: 'unreadable' }), write: thrown('untrusted_response') },
  noticeMerchant: (order) => order.merchantId,
};

const px = describeProviderContract(PAYJS);
const adapter = () => px.adapter();
const make = px.make;
const full = (order: OrderRef) => ({
  refundKey: PAYJS.refundKey(order, 1),
  amount: order.amount!,
  totalAmount: order.amount!,
});

describe('PAYJS only', () => {
  it('under the other reading (status 0 after money went back) a refunded or reversed order is unknown, never paid or unpaid', async () => {
    payjsSandboxSettings.checkAfterReturn = 'unpaid';
    const refunded = await make('refunded');
    const reversed = await make('paid', { payType: 'micropay' });
    expect(await adapter().reverseOrder(reversed)).toMatchObject({ result: 'done' });
    for (const order of [refunded, reversed]) {
      expect(await adapter().queryOrder(order)).toMatchObject({
        status: 'unknown',
        providerCode: 'status=0+paid_facts',
      });
    }
    expect(await adapter().queryOrder(await make('paid'))).toMatchObject({ status: 'paid' });
  });

  it('close past 30 days: rejected with the reason, nothing changes', async () => {
    const order = await make('unpaid', { createdAt: new Date(Date.now() - 31 * DAY).toISOString() });
    expect(await adapter().closeOrder(order)).toMatchObject({
      result: 'rejected',
      providerCode: 'return_code=0',
      message: expect.stringContaining('30'),
    });
    expect(await px.stateOf(order)).toBe('unpaid');
  });

  it('reverse past 7 days is rejected, and no money goes back', async () => {
    const old = await make('paid', { payType: 'micropay', createdAt: new Date(Date.now() - 8 * DAY).toISOString() });
    expect(await adapter().reverseOrder(old)).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('7'),
    });
    expect(await px.moves(old)).toMatchObject({ reversals: 0 });
  });

  it('a repeat refund answered with return_code 1 and refund "1" is still already', async () => {
    payjsSandboxSettings.repeatRefundReturnCode = 1;
    const order = await make('refunded');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('an order reversed after payment is already refunded: nothing more goes back', async () => {
    const order = await make('paid', { payType: 'micropay' });
    await adapter().reverseOrder(order);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
    expect(await px.moves(order)).toMatchObject({ payments: 1, refunds: 0, reversals: 1, overReturned: 0 });
  });

  it('too little unsettled balance is rejected', async () => {
    payjsSandboxSettings.unsettledBalance = 2100;
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('不足'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it('a partial refund is never sent: PAYJS would refund everything', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder(order, { ...full(order), amount: 1000 })).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder({ ...order, amount: 1000 }, full(order))).rejects.toMatchObject({
      type: 'request_rejected',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it('an order of another merchant, or without payjs_order_id, is refused before any call', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder({ ...order, merchantId: '1528140052' }, full(order))).rejects.toMatchObject({
      type: 'configuration',
    });
    await expect(adapter().queryOrder({ ...order, providerOrderId: undefined })).rejects.toMatchObject({
      type: 'request_rejected',
      message: expect.stringContaining('payjs_order_id'),
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });
});
