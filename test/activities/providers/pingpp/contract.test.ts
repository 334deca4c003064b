/**
 * The Ping++ adapter against the sandbox over real HTTP: every call, every charge state, every
 * fault, with the sandbox ledger as the referee for money (exactly one movement per intent).
 */
import { createPingppAdapter } from '../../../../activities/providers/pingpp/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef, RefundRequest } from '../../../../domain/index.js';
import { pingppSandboxSettings as settings, resetPingppSandboxSettings } from '../../../../sandbox/providers/pingpp/index.js';
import type { PingppConfig } from '../../../../activities/providers/pingpp/config.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { MERCHANT_PUBLIC, PLATFORM_PRIVATE } from './vectors.js';

const DAY = 86_400_000;
let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetPingppSandboxSettings();
  await sb.admin('DELETE', '/faults');
});

const adapter = (over: Partial<PingppConfig> = {}): ProviderAdapter => createPingppAdapter({ ...sb.config.providers.pingpp!, ...over }, { timeoutMs: 500 });
const make = async (state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> => {
  const o = await sb.admin('POST', '/orders', { provider: 'pingpp', state, amount: 2100, payType: 'alipay_qr', ...extra });
  return { provider: 'pingpp', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType: o.payType, createdAt: o.createdAt };
};
const refundOf = (order: OrderRef, n = 1, amount = order.amount!): RefundRequest => ({ refundKey: `${order.orderId}:refund:${n}`, amount, totalAmount: order.amount! });
const viewOf = async (order: OrderRef) => sb.admin('GET', `/orders/pingpp/${order.orderId}`);
const stateOf = async (order: OrderRef): Promise<string> => (await viewOf(order)).state;
const fault = (call: string, kind: string, extra: Record<string, unknown> = {}) => sb.admin('POST', '/faults', { provider: 'pingpp', call, kind, ...extra });
/** Money movements the ledger recorded for this order. */
const moves = async (order: OrderRef) => {
  const { entries, overReturned } = await sb.admin('GET', '/ledger');
  const mine = entries.filter((e: { orderId: string }) => e.orderId === order.orderId);
  const count = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).length;
  const sum = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).reduce((s: number, e: { amount: number }) => s + e.amount, 0);
  return { payment: count('payment'), refund: count('refund'), refunded: sum('refund'), reversal: count('reversal_return'), overReturned: overReturned.length };
};
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('retrieve', () => {
  it.each([
    ['unpaid', { status: 'unpaid' }],
    ['paying', { status: 'unpaid' }],
    ['paid', { status: 'paid' }],
    ['closed', { status: 'closed', reason: 'expired' }],
    ['expired', { status: 'closed', reason: 'expired' }],
    ['failed', { status: 'closed', reason: 'failed' }],
    ['reversed', { status: 'closed', reason: 'reversed', reversedAfterPayment: false }],
    ['refunded', { status: 'refunded', refundedAmount: 2100, full: true }],
    ['partially_refunded', { status: 'refunded', refundedAmount: 1050, full: false }],
  ])('a %s charge reads as %j', async (state, want) => {
    const order = await make(state);
    expect(await adapter().queryOrder(order)).toMatchObject({ ...want, providerOrderId: order.providerOrderId, amount: 2100, payType: 'alipay_qr' });
  });

  it('a paid charge carries its payment time', async () => {
    const obs = await adapter().queryOrder(await make('paid'));
    expect(Math.abs(Date.parse((obs as { paidAt: string }).paidAt) - Date.now())).toBeLessThan(60_000);
  });

  it('Ping++ has no paying state: a charge being paid reads unpaid until the channel confirms', async () => {
    const order = await make('paying', { payingQueries: 1, thenState: 'paid' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unpaid' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('an unpaid charge past time_expire reads expired, and can no longer be paid', async () => {
    const order = await make('unpaid', { createdAt: ago(2 * DAY) });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'expired' });
    expect(await stateOf(order)).toBe('expired');
  });

  it('an unknown charge id is not_found; a charge of another order_no or app, or of another amount, is unknown', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: 'ch_000000000000000000000000' })).toMatchObject({ status: 'not_found', providerCode: '404 invalid_request_error' });
    expect(await adapter().queryOrder({ ...order, orderId: 'SOMEONE-ELSE' })).toMatchObject({ status: 'unknown', providerCode: 'not_ours' });
    expect(await adapter().queryOrder({ ...order, merchantId: 'app_someoneElse00000' })).toMatchObject({ status: 'unknown', providerCode: 'not_ours' });
    expect(await adapter().queryOrder({ ...order, amount: 2000 })).toMatchObject({ status: 'unknown', providerCode: 'not_ours' });
  });

  it('more than one page of refunds (10 embedded, 100 per list page): every refund is read before deciding', async () => {
    const order = await make('paid', { amount: 20_000 });
    const stored = sb.sandbox.ctx.store.findByOrderId('pingpp', order.orderId)!;
    for (let i = 0; i < 150; i += 1) sb.sandbox.ctx.store.addRefund(stored, 100, { status: 'succeeded', extra: { metadata: { refund_key: `k${i}` } } });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 15_000, full: false });
    // The oldest refund sits on the second list page (newest first): look-before-write still finds it.
    expect(await adapter().queryRefund(order, 'k0')).toMatchObject({ status: 'succeeded', amount: 100 });
    expect(await adapter().refundOrder(order, { refundKey: 'k0', amount: 100, totalAmount: 20_000 })).toMatchObject({ result: 'already' });
    expect(await moves(order)).toMatchObject({ refund: 150, refunded: 15_000, overReturned: 0 });
  });
});

describe('reverse', () => {
  it('an unpaid scan charge is reversed without money; a repeat is still done', async () => {
    const order = await make('unpaid', { payType: 'wx_pub_scan' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done', providerCode: 'reversed=true,paid=false' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await stateOf(order)).toBe('reversed');
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: false });
    expect(await moves(order)).toMatchObject({ payment: 0, refund: 0, reversal: 0 });
  });

  it('a paid scan charge: the reversal sends the money back once; the charge reads reversed-after-payment, never refunded', async () => {
    const order = await make('paid', { payType: 'isv_scan' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done', providerCode: 'reversed=true,paid=true' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: true });
    // Nothing is left to refund: Ping++ refuses, and the ledger shows the one reversal.
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: '400 invalid_request_error', message: expect.stringContaining('reversed') });
    expect(await moves(order)).toMatchObject({ payment: 1, refund: 0, reversal: 1, overReturned: 0 });
  });

  it('a charge still being paid on a scan channel is reversed without money', async () => {
    const order = await make('paying', { payType: 'alipay_scan' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(order)).toMatchObject({ payment: 0, reversal: 0 });
  });

  it('newer revision: an unpaid online charge (alipay_qr) is reversed; a paid one is refused — refund it', async () => {
    expect(await adapter().reverseOrder(await make('unpaid'))).toMatchObject({ result: 'done' });
    const paid = await make('paid');
    expect(await adapter().reverseOrder(paid)).toMatchObject({ result: 'rejected', providerCode: '400 invalid_request_error', message: expect.stringContaining('use a refund') });
    expect(await moves(paid)).toMatchObject({ reversal: 0 });
  });

  it('older revision: only the 8 scan/isv channels reverse', async () => {
    settings.reverseRevision = 'older';
    expect(await adapter().reverseOrder(await make('unpaid'))).toMatchObject({ result: 'rejected', message: expect.stringContaining('cannot be reversed') });
    expect(await adapter().reverseOrder(await make('unpaid', { payType: 'upacp_scan' }))).toMatchObject({ result: 'done' });
  });

  it.each([
    ['wx_pub_scan', 8 * DAY, '7 days'],
    ['cb_wx_pub_scan', 8 * DAY, '7 days'],
    ['alipay_scan', 25 * 3_600_000, '24 hours'],
    ['upacp_scan', 2 * DAY, 'UnionPay'],
    ['isv_qr', 2 * DAY, 'today'],
  ])('%s past its window is refused, nothing changes', async (payType, age, message) => {
    const order = await make('paid', { payType, createdAt: ago(age) });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'rejected', message: expect.stringContaining(message) });
    expect(await stateOf(order)).toBe('paid');
    expect(await moves(order)).toMatchObject({ reversal: 0 });
  });

  it('a channel without reverse, and a partly refunded scan charge, are refused', async () => {
    expect(await adapter().reverseOrder(await make('unpaid', { payType: 'bfb' }))).toMatchObject({ result: 'rejected', message: expect.stringContaining('bfb') });
    const refunded = await make('partially_refunded', { payType: 'wx_pub_scan' });
    expect(await adapter().reverseOrder(refunded)).toMatchObject({ result: 'rejected', message: expect.stringContaining('refunds') });
    expect(await moves(refunded)).toMatchObject({ refund: 1, reversal: 0 });
  });
});

describe('refund (look before write: Ping++ refunds are not idempotent)', () => {
  it('a paid charge is refunded once; a repeat with the same key is "already" and POSTs nothing', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded', providerCode: 'status=succeeded', refundId: expect.stringMatching(/^re_[A-Za-z0-9]{24}$/) });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'already' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2100, full: true });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded', amount: 2100 });
    expect(await moves(order)).toMatchObject({ payment: 1, refund: 1, refunded: 2100, overReturned: 0 });
    const [stored] = (await viewOf(order)).refunds;
    expect(stored.extra).toMatchObject({ metadata: { refund_key: refundOf(order).refundKey }, description: 'Order cancelled' });
  });

  it('partial refunds under different keys; more than is left is rejected without a POST', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order, 1, 1000))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 1000, full: false });
    expect(await adapter().refundOrder(order, refundOf(order, 2, 1100))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, refundOf(order, 3, 1))).toMatchObject({ result: 'rejected', providerCode: 'exceeds_refundable' });
    expect(await moves(order)).toMatchObject({ refund: 2, refunded: 2100, overReturned: 0 });
  });

  it('a refund the channel is still processing: accepted, then followed by queryRefund to success', async () => {
    const order = await make('paid', { refundProcessingQueries: 2 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted', providerCode: 'status=pending' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunding', refundedAmount: 0 });
    // The look-before-write list counts as one refund query.
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded', amount: 2100 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'already' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', full: true });
    expect(await moves(order)).toMatchObject({ refund: 1, overReturned: 0 });
  });

  it('a refund the channel refuses: rejected with the failure code, no money; a repeat does not try again', async () => {
    settings.refundFailure = { code: 'refund_insufficient_balance', message: 'merchant balance too low' };
    const order = await make('paid');
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: 'status=failed,failure_code=refund_insufficient_balance', message: 'merchant balance too low' });
    settings.refundFailure = undefined;
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: expect.stringContaining('refund_insufficient_balance') });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'failed' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid', providerCode: expect.stringContaining('refunds failed') });
    expect((await viewOf(order)).refunds).toHaveLength(1);
    expect(await moves(order)).toMatchObject({ refund: 0, overReturned: 0 });
  });

  it.each(['unpaid', 'reversed', 'expired', 'failed'])('a %s charge is rejected by Ping++', async (state) => {
    const order = await make(state);
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: '400 invalid_request_error' });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });

  it('a charge already refunded by someone else: nothing is left, rejected without a POST', async () => {
    const order = await make('refunded');
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: 'exceeds_refundable' });
    expect(await moves(order)).toMatchObject({ refund: 1, overReturned: 0 });
  });

  it('a long reason is cut to the channel limit, not refused', async () => {
    const order = await make('paid', { payType: 'paypal' });
    expect(await adapter().refundOrder(order, { ...refundOf(order), reason: 'The customer cancelled the order before shipping' })).toMatchObject({ result: 'succeeded' });
    expect((await viewOf(order)).refunds[0].extra.description).toBe('The customer cancelled the ord');
  });

  it('queryRefund: an unknown key or an unknown charge is not_found', async () => {
    const order = await make('refunded');
    expect(await adapter().queryRefund(order, 'never-used')).toMatchObject({ status: 'not_found' });
    expect(await adapter().queryRefund({ ...order, providerOrderId: 'ch_000000000000000000000000' }, 'k')).toMatchObject({ status: 'not_found' });
  });

  it('a bad amount or an unknown charge is our mistake, refused before anything is written', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder(order, refundOf(order, 1, 0))).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().refundOrder(order, refundOf(order, 1, 10.5))).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().refundOrder({ ...order, providerOrderId: 'ch_000000000000000000000000' }, refundOf(order))).rejects.toMatchObject({ type: 'request_rejected', retryable: false });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });
});

describe('our own mistakes', () => {
  it('every call needs the charge id, and says so', async () => {
    const order = { ...(await make('paid')), providerOrderId: undefined };
    for (const call of [() => adapter().queryOrder(order), () => adapter().reverseOrder(order), () => adapter().refundOrder(order, refundOf(order)), () => adapter().queryRefund(order, 'k')]) {
      await expect(call()).rejects.toMatchObject({ type: 'request_rejected', retryable: false, message: expect.stringContaining('providerOrderId') });
    }
  });

  it('closeOrder is not offered: Ping++ has no close', async () => {
    await expect(adapter().closeOrder(await make('unpaid'))).rejects.toMatchObject({ type: 'not_supported' });
  });

  it('a wrong API key is a configuration error on every call', async () => {
    const wrong = adapter({ apiKey: 'sk_test_notTheSandboxKey0000000' });
    const order = await make('paid', { payType: 'wx_pub_scan' });
    await expect(wrong.queryOrder(order)).rejects.toMatchObject({ type: 'configuration', retryable: false });
    await expect(wrong.reverseOrder(order)).rejects.toMatchObject({ type: 'configuration' });
    await expect(wrong.refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'configuration' });
    await expect(wrong.queryRefund(order, 'k')).rejects.toMatchObject({ type: 'configuration' });
    expect(await moves(order)).toMatchObject({ refund: 0, reversal: 0 });
  });

  it('signed with the wrong private key: Ping++ refuses our signature, non-retryable', async () => {
    const wrong = adapter({ privateKeyPem: PLATFORM_PRIVATE });
    const order = await make('paid', { payType: 'wx_pub_scan' });
    await expect(wrong.queryOrder(order)).rejects.toMatchObject({ type: 'request_rejected', retryable: false, message: expect.stringContaining('signature') });
    await expect(wrong.reverseOrder(order)).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(wrong.refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await moves(order)).toMatchObject({ refund: 0, reversal: 0 });
  });

  it('no private key while the app requires signed requests: reads work, writes are a configuration error', async () => {
    const unsigned = adapter({ privateKeyPem: undefined });
    const order = await make('paid');
    expect(await unsigned.queryOrder(order)).toMatchObject({ status: 'paid' });
    await expect(unsigned.refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'configuration', message: expect.stringContaining('PINGPP_PRIVATE_KEY_PATH') });
    settings.requireSignedWrites = false;
    expect(await unsigned.refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await moves(order)).toMatchObject({ refund: 1 });
  });

  it('a wrong base URL is not an answer', async () => {
    const lost = adapter({ baseUrl: `${sb.sandbox.url}/nowhere` });
    const order = await make('unpaid', { payType: 'wx_pub_scan' });
    expect(await lost.queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'unreadable' });
    await expect(lost.reverseOrder(order)).rejects.toMatchObject({ type: 'untrusted_response' });
  });
});

describe('response signatures (X-Pingplusplus-Signature, §3.1)', () => {
  it('without a configured Ping++ public key answers are not checked (as the Node/PHP/Go SDKs do)', async () => {
    settings.signResponses = false;
    expect(await adapter({ webhookPublicKeyPem: undefined }).queryOrder(await make('paid'))).toMatchObject({ status: 'paid' });
  });

  it('with the key configured, an unsigned answer is never trusted: unknown on query, thrown on write (the unsigned look writes nothing)', async () => {
    settings.signResponses = false;
    const order = await make('paid', { payType: 'wx_pub_scan' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'signature' });
    await expect(adapter().refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await moves(order)).toMatchObject({ refund: 0 });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'untrusted_response', message: expect.stringContaining('signature missing') });
    settings.signResponses = true;
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(order)).toMatchObject({ refund: 0, reversal: 1, overReturned: 0 });
  });

  it('PINGPP_VERIFY_RESPONSES=false reads unsigned answers while the key still verifies webhooks', async () => {
    settings.signResponses = false;
    const order = await make('paid', { payType: 'wx_pub_scan' });
    expect(await adapter({ verifyResponses: false }).queryOrder(order)).toMatchObject({ status: 'paid' });
    settings.signResponses = true;
  });

  it('an answer signed by another key is unknown', async () => {
    expect(await adapter({ webhookPublicKeyPem: MERCHANT_PUBLIC }).queryOrder(await make('paid'))).toMatchObject({ status: 'unknown', providerCode: 'signature' });
  });
});

describe('faults on retrieve', () => {
  it.each([
    ['http_500', 'transient'],
    ['timeout', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['applied_response_lost', 'transient'],
  ])('%s is thrown as %s, and the next retrieve answers', async (kind, type) => {
    const order = await make('paid');
    await fault('query', kind, { holdMs: 700 });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('the rate limit as a 403 (how the SDKs name it) is rate_limited too', async () => {
    settings.rateLimitStatus = 403;
    await fault('query', 'rate_limit');
    await expect(adapter().queryOrder(await make('paid'))).rejects.toMatchObject({ type: 'rate_limited' });
  });

  it.each([
    ['bad_signature', {}, 'signature'],
    ['in_progress', {}, '402 channel_error/channel_busy'],
    ['in_progress', { codes: ['SYSTEMERROR'] }, '402 channel_error/SYSTEMERROR'],
  ])('%s %j is an unknown observation, never paid', async (kind, extra, providerCode) => {
    const order = await make('paid');
    await fault('query', kind, extra);
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode });
  });
});

interface WriteCase {
  start: string;
  payType: string;
  run: (a: ProviderAdapter, o: OrderRef) => Promise<{ result: string }>;
  applied: string;
  afterApplied: string;
  afterNothing: string;
  money: { payment: number; refund: number; reversal: number };
}
const WRITES: Record<'reverse' | 'refund', WriteCase> = {
  reverse: { start: 'paid', payType: 'wx_pub_scan', run: (a, o) => a.reverseOrder(o), applied: 'reversed', afterApplied: 'done', afterNothing: 'done', money: { payment: 1, refund: 0, reversal: 1 } },
  refund: { start: 'paid', payType: 'alipay_qr', run: (a, o) => a.refundOrder(o, refundOf(o)), applied: 'refunded', afterApplied: 'already', afterNothing: 'succeeded', money: { payment: 1, refund: 1, reversal: 0 } },
};
const KINDS: [kind: string, type: string, applied: boolean][] = [
  ['http_500', 'transient', false],
  ['timeout', 'transient', false],
  ['reset', 'transient', false],
  ['rate_limit', 'rate_limited', false],
  ['bad_signature', 'untrusted_response', true],
  ['applied_response_lost', 'transient', true],
];

describe.each(Object.keys(WRITES) as (keyof typeof WRITES)[])('faults on %s', (call) => {
  const w = WRITES[call];
  it.each(KINDS)('%s is thrown as %s; the retry settles it and money moves exactly once', async (kind, type, applied) => {
    const order = await make(w.start, { payType: w.payType });
    await fault(call, kind, { holdMs: 700 });
    await expect(w.run(adapter(), order)).rejects.toMatchObject({ type });
    expect(await stateOf(order)).toBe(applied ? w.applied : w.start);
    expect(await w.run(adapter(), order)).toMatchObject({ result: applied ? w.afterApplied : w.afterNothing });
    expect(await w.run(adapter(), order)).toMatchObject({ result: w.afterApplied });
    expect(await moves(order)).toMatchObject({ ...w.money, overReturned: 0 });
  });
});

describe('in_progress on writes', () => {
  it('reverse: the channel has not confirmed (reversed=false) → in_progress with a retry delay; the retry reverses once', async () => {
    const order = await make('paid', { payType: 'wx_pub_scan' });
    await fault('reverse', 'in_progress', { count: 2 });
    for (let i = 0; i < 2; i += 1) {
      await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'reversed=false,paid=true', retryAfterMs: 10_000 } });
    }
    expect(await stateOf(order)).toBe('paid');
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(order)).toMatchObject({ reversal: 1, overReturned: 0 });
  });

  it('reverse with a channel code: 402 channel_error is the channel\'s "no", with the code', async () => {
    const order = await make('unpaid', { payType: 'wx_pub_scan' });
    await fault('reverse', 'in_progress', { codes: ['USERPAYING'] });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'rejected', providerCode: '402 channel_error/USERPAYING' });
    expect(await stateOf(order)).toBe('unpaid');
  });

  it('refund: 402 channel_error is rejected with the code, nothing moved; a later attempt refunds once', async () => {
    const order = await make('paid');
    await fault('refund', 'in_progress', { codes: ['channel_busy'] });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'rejected', providerCode: '402 channel_error/channel_busy' });
    expect(await moves(order)).toMatchObject({ refund: 0 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await moves(order)).toMatchObject({ refund: 1, overReturned: 0 });
  });
});

describe('faults on the refund list (queryRefund, and the look before every refund)', () => {
  it.each([
    ['http_500', 'transient'],
    ['timeout', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['bad_signature', 'untrusted_response'],
    ['applied_response_lost', 'transient'],
  ])('%s: queryRefund throws %s; a refund whose look fails writes nothing', async (kind, type) => {
    const order = await make('paid');
    await fault('queryRefund', kind, { holdMs: 700, count: 2 });
    await expect(adapter().queryRefund(order, refundOf(order).refundKey)).rejects.toMatchObject({ type });
    await expect(adapter().refundOrder(order, refundOf(order))).rejects.toMatchObject({ type });
    expect(await moves(order)).toMatchObject({ refund: 0 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded' });
  });

  it('in_progress: a refund the channel has not confirmed reads processing, then succeeded', async () => {
    const order = await make('paid', { refundProcessingQueries: 1 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted' });
    await fault('queryRefund', 'in_progress');
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'processing', providerCode: 'status=pending' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded' });
  });
});
