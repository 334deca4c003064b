/**
 * The Ping++ adapter against the sandbox over real HTTP: the shared contract (../contract/suite.ts)
 * with Ping++'s answers, then what only Ping++ has: channels and their reverse windows, look before
 * write (its refunds are not idempotent), refund pages, response signatures, 402 channel errors.
 */
import { pingppProvider } from '../../../../activities/providers/pingpp/index.js';
import type { PingppConfig } from '../../../../activities/providers/pingpp/config.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef, RefundRequest } from '../../../../domain/index.js';
import { pingppSandboxSettings as settings } from '../../../../sandbox/providers/pingpp/index.js';
import { faultBudgetMs, like, thrown } from '../contract/outcomes.js';
import type { ProviderContract } from '../contract/spec.js';
import { describeProviderContract } from '../contract/suite.js';
import { MERCHANT_PUBLIC, PLATFORM_PRIVATE } from './vectors.js';

const DAY = 86_400_000;
const HOLD_MS = 700;
const refundOf = (order: OrderRef, n = 1, amount = order.amount!): RefundRequest => ({
  refundKey: `${order.orderId}:refund:${n}`,
  amount,
  totalAmount: order.amount!,
});
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const done = like({ result: 'done' });

const PINGPP: ProviderContract<PingppConfig> = {
  descriptor: pingppProvider,
  order: { amount: 2100, payType: 'alipay_qr' },
  providerOrderIdKnown: 'always',
  refundKey: (order, n) => refundOf(order, n).refundKey,
  // Ping++ has no close.
  notSupported: ['close'],
  query: {
    echoes: ['providerOrderId', 'payType'],
    byState: {
      unpaid: { status: 'unpaid' },
      // Ping++ has no paying state: a charge being paid reads unpaid until the channel confirms.
      paying: { status: 'unpaid' },
      paid: { status: 'paid' },
      closed: { status: 'closed', reason: 'expired' },
      expired: { status: 'closed', reason: 'expired' },
      failed: { status: 'closed', reason: 'failed' },
      reversed: { status: 'closed', reason: 'reversed', reversedAfterPayment: false },
      refunded: { status: 'refunded', refundedAmount: 2100, full: true },
      partially_refunded: { status: 'refunded', refundedAmount: 1050, full: false },
    },
    paidAt: { withinMs: 60_000 },
    whilePaying: { reads: 'unpaid' },
    neverSeen: {
      ref: (order) => ({ ...order, providerOrderId: 'ch_000000000000000000000000' }),
      reads: like({ status: 'not_found', providerCode: '404 invalid_request_error' }),
    },
    foreignOrder: like({ status: 'unknown', providerCode: 'not_ours' }),
    badSignature: like({ status: 'unknown', providerCode: 'signature' }),
    inProgress: { reads: like({ status: 'unknown', providerCode: '402 channel_error/channel_busy' }) },
  },
  cancels: {
    reverse: {
      orderExtra: { payType: 'wx_pub_scan' },
      rows: [
        // An unpaid scan charge is reversed without money; a repeat is still done.
        {
          state: 'unpaid',
          answer: like({ result: 'done', providerCode: 'reversed=true,paid=false' }),
          repeat: done,
          after: 'reversed',
        },
        // A charge still being paid on a scan channel is reversed without money.
        { state: 'paying', extra: { payType: 'alipay_scan' }, answer: done, repeat: done, after: 'reversed' },
        // Newer revision: an unpaid online charge (alipay_qr) is reversed; a paid one is refused (refund it).
        { state: 'unpaid', extra: { payType: 'alipay_qr' }, answer: done, repeat: done, after: 'reversed' },
        {
          state: 'paid',
          extra: { payType: 'alipay_qr' },
          answer: like({
            result: 'rejected',
            providerCode: '400 invalid_request_error',
            message: expect.stringContaining('use a refund'),
          }),
          repeat: like({ result: 'rejected', providerCode: '400 invalid_request_error' }),
          after: 'paid',
        },
        // A channel without reverse, and a partly refunded scan charge, are refused.
        {
          state: 'unpaid',
          extra: { payType: 'bfb' },
          answer: like({ result: 'rejected', message: expect.stringContaining('bfb') }),
          repeat: like({ result: 'rejected' }),
          after: 'unpaid',
        },
        {
          state: 'partially_refunded',
          answer: like({ result: 'rejected', message: expect.stringContaining('refunds') }),
          repeat: like({ result: 'rejected' }),
          after: 'partially_refunded',
        },
      ],
    },
  },
  // in_progress on writes is a 402 channel error or reversed=false: Ping++'s own cases below.
  writeFaults: {
    reverse: {
      state: 'paid',
      extra: { payType: 'wx_pub_scan' },
      kinds: ['http_500', 'timeout', 'reset', 'rate_limit', 'bad_signature', 'applied_response_lost'],
      applied: 'reversed',
      afterApplied: 'done',
      afterNothing: 'done',
      money: { payments: 1, refunds: 0, reversals: 1 },
    },
    refund: {
      state: 'paid',
      kinds: ['http_500', 'timeout', 'reset', 'rate_limit', 'bad_signature', 'applied_response_lost'],
      applied: 'refunded',
      afterApplied: 'already',
      afterNothing: 'succeeded',
      money: { payments: 1, refunds: 1, reversals: 0 },
    },
  },
  refund: {
    first: like({
      result: 'succeeded',
      providerCode: 'status=succeeded',
      refundId: expect.stringMatching(/^re_[A-Za-z0-9]{24}$/),
    }),
    // Look before write: a repeat with the same key is "already" and POSTs nothing.
    repeat: () => like({ result: 'already' }),
    queryAfter: like({ status: 'refunded', refundedAmount: 2100, full: true }),
    refundQueryAfter: () => ({ answer: like({ status: 'succeeded', amount: 2100 }) }),
  },
  refundRefused: [
    ...(['unpaid', 'reversed', 'expired', 'failed'] as const).map(
      (state) =>
        [state, { answer: like({ result: 'rejected', providerCode: '400 invalid_request_error' }) }] as [
          typeof state,
          unknown,
        ],
    ),
    // Refunded by someone else: nothing is left, rejected without a POST.
    ['refunded', { answer: like({ result: 'rejected', providerCode: 'exceeds_refundable' }) }],
  ],
  // A paid scan charge: the money goes back once; the charge reads reversed-after-payment, never refunded.
  reversePaid: {
    extra: { payType: 'isv_scan' },
    answer: like({ result: 'done', providerCode: 'reversed=true,paid=true' }),
    repeat: done,
    queryAfter: like({ status: 'closed', reason: 'reversed', reversedAfterPayment: true }),
    money: { payments: 1, refunds: 0, reversals: 1 },
  },
  wrongSecrets: [
    {
      name: 'a wrong API key',
      config: { apiKey: 'sk_test_notTheSandboxKey0000000' },
      refusedAs: thrown('configuration', { retryable: false }),
    },
    // Signed with the wrong private key: Ping++ refuses our signature, non-retryable.
    {
      name: 'the wrong private key',
      config: { privateKeyPem: PLATFORM_PRIVATE },
      refusedAs: thrown('request_rejected', { retryable: false, message: expect.stringContaining('signature') }),
    },
  ],
  wrongBaseUrl: { query: like({ status: 'unknown', providerCode: 'unreadable' }), write: thrown('untrusted_response') },
  refundQuery: {
    kinds: ['http_500', 'timeout', 'reset', 'rate_limit', 'applied_response_lost', 'bad_signature'],
    // Ping++ has no "in progress" answer to a refund list: it lists the refunds as they stand (a pending one: below).
    inProgress: like({ status: 'succeeded', providerCode: 'status=succeeded' }),
    unknownKey: like({ status: 'not_found' }),
  },
  noticeMerchant: (order) => order.merchantId,
};

const px = describeProviderContract(PINGPP);
const adapter = (over: Partial<PingppConfig> = {}): ProviderAdapter => px.adapter(over);
const make = px.make;

describe('retrieve (Ping++ only)', () => {
  it('an unpaid charge past time_expire reads expired, and can no longer be paid', async () => {
    const order = await make('unpaid', { createdAt: ago(2 * DAY) });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'expired' });
    expect(await px.stateOf(order)).toBe('expired');
  });

  it('a charge of another app, or of another amount, is unknown', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, merchantId: 'app_someoneElse00000' })).toMatchObject({
      status: 'unknown',
      providerCode: 'not_ours',
    });
    expect(await adapter().queryOrder({ ...order, amount: 2000 })).toMatchObject({
      status: 'unknown',
      providerCode: 'not_ours',
    });
  });

  it('more than one page of refunds (10 embedded, 100 per list page): every refund is read before deciding', async () => {
    const order = await make('paid', { amount: 20_000 });
    const stored = px.sb.sandbox.ctx.store.findByOrderId('pingpp', order.orderId)!;
    for (let i = 0; i < 150; i += 1)
      px.sb.sandbox.ctx.store.addRefund(stored, 100, {
        status: 'succeeded',
        extra: { metadata: { refund_key: `k${i}` } },
      });
    expect(await adapter().queryOrder(order)).toMatchObject({
      status: 'refunded',
      refundedAmount: 15_000,
      full: false,
    });
    // The oldest refund sits on the second list page (newest first): look-before-write still finds it.
    expect(await adapter().queryRefund(order, 'k0')).toMatchObject({ status: 'succeeded', amount: 100 });
    expect(await adapter().refundOrder(order, { refundKey: 'k0', amount: 100, totalAmount: 20_000 })).toMatchObject({
      result: 'already',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 150, refunded: 15_000, overReturned: 0 });
  });
});

describe('reverse (Ping++ only)', () => {
  it('a paid scan charge once reversed has nothing left to refund: Ping++ refuses, the ledger shows the one reversal', async () => {
    const order = await make('paid', { payType: 'isv_scan' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({
      result: 'rejected',
      providerCode: '400 invalid_request_error',
      message: expect.stringContaining('reversed'),
    });
    expect(await px.moves(order)).toMatchObject({ payments: 1, refunds: 0, reversals: 1, overReturned: 0 });
  });

  it('older revision: only the 8 scan/isv channels reverse', async () => {
    settings.reverseRevision = 'older';
    expect(await adapter().reverseOrder(await make('unpaid'))).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining('cannot be reversed'),
    });
    expect(await adapter().reverseOrder(await make('unpaid', { payType: 'upacp_scan' }))).toMatchObject({
      result: 'done',
    });
  });

  it.each([
    ['wx_pub_scan', 8 * DAY, '7 days'],
    ['cb_wx_pub_scan', 8 * DAY, '7 days'],
    ['alipay_scan', 25 * 3_600_000, '24 hours'],
    ['upacp_scan', 2 * DAY, 'UnionPay'],
    ['isv_qr', 2 * DAY, 'today'],
  ])('%s past its window is refused, nothing changes', async (payType, age, message) => {
    const order = await make('paid', { payType, createdAt: ago(age) });
    expect(await adapter().reverseOrder(order)).toMatchObject({
      result: 'rejected',
      message: expect.stringContaining(message),
    });
    expect(await px.stateOf(order)).toBe('paid');
    expect(await px.moves(order)).toMatchObject({ reversals: 0 });
  });
});

describe('refund (Ping++ only: look before write, its refunds are not idempotent)', () => {
  it('the refund carries its key in metadata and the default description', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    const [stored] = (await px.view(order)).refunds;
    expect(stored!.extra).toMatchObject({
      metadata: { refund_key: refundOf(order).refundKey },
      description: 'Order cancelled',
    });
  });

  it('partial refunds under different keys; more than is left is rejected without a POST', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order, 1, 1000))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 1000, full: false });
    expect(await adapter().refundOrder(order, refundOf(order, 2, 1100))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, refundOf(order, 3, 1))).toMatchObject({
      result: 'rejected',
      providerCode: 'exceeds_refundable',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 2, refunded: 2100, overReturned: 0 });
  });

  it('a refund the channel is still processing: accepted, then followed by queryRefund to success', async () => {
    const order = await make('paid', { refundProcessingQueries: 2 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({
      result: 'accepted',
      providerCode: 'status=pending',
    });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunding', refundedAmount: 0 });
    // The look-before-write list counts as one refund query.
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({
      status: 'succeeded',
      amount: 2100,
    });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'already' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', full: true });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('a refund the channel refuses: rejected with the failure code, no money; a repeat does not try again', async () => {
    settings.refundFailure = { code: 'refund_insufficient_balance', message: 'merchant balance too low' };
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({
      result: 'rejected',
      providerCode: 'status=failed,failure_code=refund_insufficient_balance',
      message: 'merchant balance too low',
    });
    settings.refundFailure = undefined;
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({
      result: 'rejected',
      providerCode: expect.stringContaining('refund_insufficient_balance'),
    });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'failed' });
    expect(await adapter().queryOrder(order)).toMatchObject({
      status: 'paid',
      providerCode: expect.stringContaining('refunds failed'),
    });
    expect((await px.view(order)).refunds).toHaveLength(1);
    expect(await px.moves(order)).toMatchObject({ refunds: 0, overReturned: 0 });
  });

  it('a long reason is cut to the channel limit, not refused', async () => {
    const order = await make('paid', { payType: 'paypal' });
    expect(
      await adapter().refundOrder(order, {
        ...refundOf(order),
        reason: 'The customer cancelled the order before shipping',
      }),
    ).toMatchObject({ result: 'succeeded' });
    expect((await px.view(order)).refunds[0]!.extra.description).toBe('The customer cancelled the ord');
  });

  it('queryRefund: an unknown key or an unknown charge is not_found', async () => {
    const order = await make('refunded');
    expect(await adapter().queryRefund(order, 'never-used')).toMatchObject({ status: 'not_found' });
    expect(
      await adapter().queryRefund({ ...order, providerOrderId: 'ch_000000000000000000000000' }, 'k'),
    ).toMatchObject({ status: 'not_found' });
  });

  it('a bad amount or an unknown charge is our mistake, refused before anything is written', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder(order, refundOf(order, 1, 0))).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(adapter().refundOrder(order, refundOf(order, 1, 10.5))).rejects.toMatchObject({
      type: 'request_rejected',
    });
    await expect(
      adapter().refundOrder({ ...order, providerOrderId: 'ch_000000000000000000000000' }, refundOf(order)),
    ).rejects.toMatchObject({ type: 'request_rejected', retryable: false });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });
});

describe('our own mistakes (Ping++ only)', () => {
  it('every call needs the charge id, and says so', async () => {
    const order = { ...(await make('paid')), providerOrderId: undefined };
    for (const call of [
      () => adapter().queryOrder(order),
      () => adapter().reverseOrder(order),
      () => adapter().refundOrder(order, refundOf(order)),
      () => adapter().queryRefund(order, 'k'),
    ]) {
      await expect(call()).rejects.toMatchObject({
        type: 'request_rejected',
        retryable: false,
        message: expect.stringContaining('providerOrderId'),
      });
    }
  });

  it('no private key while the app requires signed requests: reads work, writes are a configuration error', async () => {
    const unsigned = adapter({ privateKeyPem: undefined });
    const order = await make('paid');
    expect(await unsigned.queryOrder(order)).toMatchObject({ status: 'paid' });
    await expect(unsigned.refundOrder(order, refundOf(order))).rejects.toMatchObject({
      type: 'configuration',
      message: expect.stringContaining('PINGPP_PRIVATE_KEY_PATH'),
    });
    settings.requireSignedWrites = false;
    expect(await unsigned.refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await px.moves(order)).toMatchObject({ refunds: 1 });
  });
});

describe('response signatures (X-Pingplusplus-Signature, docs/providers/pingpp.md §3.1)', () => {
  it('without a configured Ping++ public key answers are not checked (as the Node/PHP/Go SDKs do)', async () => {
    settings.signResponses = false;
    expect(await adapter({ webhookPublicKeyPem: undefined }).queryOrder(await make('paid'))).toMatchObject({
      status: 'paid',
    });
  });

  it('with the key configured, an unsigned answer is never trusted: unknown on query, thrown on write (the unsigned look writes nothing)', async () => {
    settings.signResponses = false;
    const order = await make('paid', { payType: 'wx_pub_scan' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'signature' });
    await expect(adapter().refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({
      type: 'untrusted_response',
      message: expect.stringContaining('signature missing'),
    });
    settings.signResponses = true;
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await px.moves(order)).toMatchObject({ refunds: 0, reversals: 1, overReturned: 0 });
  });

  it('PINGPP_VERIFY_RESPONSES=false reads unsigned answers while the key still verifies webhooks', async () => {
    settings.signResponses = false;
    const order = await make('paid', { payType: 'wx_pub_scan' });
    expect(await adapter({ verifyResponses: false }).queryOrder(order)).toMatchObject({ status: 'paid' });
    settings.signResponses = true;
  });

  it('an answer signed by another key is unknown', async () => {
    expect(await adapter({ webhookPublicKeyPem: MERCHANT_PUBLIC }).queryOrder(await make('paid'))).toMatchObject({
      status: 'unknown',
      providerCode: 'signature',
    });
  });
});

describe('faults (Ping++ only)', () => {
  it('the rate limit as a 403 (how the SDKs name it) is rate_limited too', async () => {
    settings.rateLimitStatus = 403;
    await px.fault('query', 'rate_limit');
    await expect(adapter().queryOrder(await make('paid'))).rejects.toMatchObject({ type: 'rate_limited' });
  });

  it('in_progress with a channel code on retrieve is an unknown observation with that code, never paid', async () => {
    const order = await make('paid');
    await px.fault('query', 'in_progress', { codes: ['SYSTEMERROR'] });
    expect(await adapter().queryOrder(order)).toMatchObject({
      status: 'unknown',
      providerCode: '402 channel_error/SYSTEMERROR',
    });
  });

  it('reverse: the channel has not confirmed (reversed=false) → in_progress with a retry delay; the retry reverses once', async () => {
    const order = await make('paid', { payType: 'wx_pub_scan' });
    await px.fault('reverse', 'in_progress', { count: 2 });
    for (let i = 0; i < 2; i += 1) {
      await expect(adapter().reverseOrder(order)).rejects.toMatchObject({
        type: 'in_progress',
        details: { providerCode: 'reversed=false,paid=true', retryAfterMs: 10_000 },
      });
    }
    expect(await px.stateOf(order)).toBe('paid');
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await px.moves(order)).toMatchObject({ reversals: 1, overReturned: 0 });
  });

  it('reverse with a channel code: 402 channel_error is the channel\'s "no", with the code', async () => {
    const order = await make('unpaid', { payType: 'wx_pub_scan' });
    await px.fault('reverse', 'in_progress', { codes: ['USERPAYING'] });
    expect(await adapter().reverseOrder(order)).toMatchObject({
      result: 'rejected',
      providerCode: '402 channel_error/USERPAYING',
    });
    expect(await px.stateOf(order)).toBe('unpaid');
  });

  it('refund: 402 channel_error/channel_busy is in_progress with a retry delay, nothing moved; the retry refunds once', async () => {
    const order = await make('paid');
    await px.fault('refund', 'in_progress', { codes: ['channel_busy'] });
    await expect(adapter().refundOrder(order, refundOf(order))).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: '402 channel_error/channel_busy', retryAfterMs: 10_000 },
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await px.moves(order)).toMatchObject({ refunds: 1, overReturned: 0 });
  });

  it('refund: any other 402 channel code is the channel\'s "no", with the code', async () => {
    const order = await make('paid');
    await px.fault('refund', 'in_progress', { codes: ['SYSTEMERROR'] });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({
      result: 'rejected',
      providerCode: '402 channel_error/SYSTEMERROR',
    });
    expect(await px.moves(order)).toMatchObject({ refunds: 0 });
  });

  it.each([
    ['http_500', 'transient'],
    ['timeout', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['bad_signature', 'untrusted_response'],
    ['applied_response_lost', 'transient'],
  ] as const)(
    '%s on the refund list: queryRefund throws %s; a refund whose look fails writes nothing',
    async (kind, type) => {
      const order = await make('paid');
      await px.fault('queryRefund', kind, { holdMs: HOLD_MS, count: 2 });
      // The two calls that meet the fault: a timeout needs a budget shorter than the hold.
      const faulted = px.adapter({}, faultBudgetMs(kind));
      await expect(faulted.queryRefund(order, refundOf(order).refundKey)).rejects.toMatchObject({ type });
      await expect(faulted.refundOrder(order, refundOf(order))).rejects.toMatchObject({ type });
      expect(await px.moves(order)).toMatchObject({ refunds: 0 });
      expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
      expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded' });
    },
  );

  it('in_progress on the refund list: a refund the channel has not confirmed reads processing, then succeeded', async () => {
    const order = await make('paid', { refundProcessingQueries: 1 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted' });
    await px.fault('queryRefund', 'in_progress');
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({
      status: 'processing',
      providerCode: 'status=pending',
    });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded' });
  });
});
