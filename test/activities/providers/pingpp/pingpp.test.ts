/** Ping++: signature vectors, every mapper row, and the adapter against the sandbox over HTTP. */
import { readFileSync } from 'node:fs';
import { createPingppAdapter, verifyPingppNotification } from '../../../../activities/providers/pingpp/index.js';
import { mapCharge, mapRefundCreated, mapRefundObservation, mapReverse } from '../../../../activities/providers/pingpp/mapper.js';
import { requestStringToSign, rsaSign, rsaVerify } from '../../../../activities/providers/pingpp/signer.js';
import type { OrderRef } from '../../../../activities/providers/provider.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const vectors = JSON.parse(readFileSync('test/fixtures/vectors/pingpp_vectors.json', 'utf8'));
const key = (name: string) => readFileSync(`${FIXTURE_KEYS}/${name}`, 'utf8');

describe('Ping++ signer: pingpp.md §2.3 and §3 vectors', () => {
  const merchantPrivate = key('pingpp_merchant_private_pkcs8.pem');
  it.each(['reverse_post', 'refund_post', 'retrieve_get_node', 'retrieve_get_other'])('%s', (name) => {
    const v = vectors[name];
    expect(rsaSign(v.string_to_sign, merchantPrivate)).toBe(v.signature);
    expect(rsaVerify(v.string_to_sign, v.signature, key('pingpp_merchant_public_spki.pem'))).toBe(true);
  });
  it('builds the string to sign from body + request URI + timestamp', () => {
    expect(requestStringToSign('{}', '/v1/charges/ch_injTG4KGWPePS88WPGPyfzz5/reverse', 1475029155)).toBe(vectors.reverse_post.string_to_sign);
    expect(requestStringToSign(vectors.refund_post.body, '/v1/charges/ch_injTG4KGWPePS88WPGPyfzz5/refunds', '1475029155')).toBe(vectors.refund_post.string_to_sign);
  });
  it('webhook vector verifies on the raw body; a changed byte does not', () => {
    const { raw_body, x_pingplusplus_signature } = vectors.webhook;
    const config = { apiKey: 'k', baseUrl: 'http://x', maxRps: 1, webhookPublicKeyPem: key('pingpp_platform_public_spki.pem') };
    expect(verifyPingppNotification(config, raw_body, { 'x-pingplusplus-signature': x_pingplusplus_signature })).toMatchObject({
      ok: true,
      notice: { provider: 'pingpp', orderId: '149569419725834', providerOrderId: 'ch_injTG4KGWPePS88WPGPyfzz5', event: 'refunded' },
    });
    expect(verifyPingppNotification(config, raw_body.replace('"amount":1', '"amount":2'), { 'x-pingplusplus-signature': x_pingplusplus_signature })).toMatchObject({ ok: false });
    expect(verifyPingppNotification(config, raw_body, { 'x-pingplusplus-signature': '' })).toMatchObject({ ok: false });
  });
});

describe('Ping++ mapper: every row', () => {
  const charge = (over: Record<string, unknown>) => ({ id: 'ch_1', object: 'charge', channel: 'alipay_qr', order_no: 'O1', amount: 100, paid: false, refunded: false, reversed: false, amount_refunded: 0, time_expire: 4_000_000_000, ...over });
  const refund = (status: string, amount = 100) => ({ id: 're_1', object: 'refund', amount, status });
  const list = (...data: unknown[]) => ({ object: 'list', has_more: false, data });
  const now = Date.parse('2026-11-22T00:00:00Z');
  it.each([
    [charge({}), 'unpaid'],
    [charge({ time_expire: 1 }), 'closed'],
    [charge({ failure_code: 'x' }), 'closed'],
    [charge({ paid: true }), 'paid'],
    [charge({ reversed: true }), 'closed'],
    [charge({ paid: true, refunded: true, refunds: list(refund('pending')) }), 'refunding'],
    [charge({ paid: true, refunded: true, amount_refunded: 100, refunds: list(refund('succeeded')) }), 'refunded'],
    [charge({ paid: true, refunded: true, amount_refunded: 40, refunds: list(refund('succeeded', 40)) }), 'refunded'],
    [charge({ paid: true, refunded: true, refunds: list(refund('failed')) }), 'paid'],
    [charge({ paid: true, refunded: true, refunds: { ...list(refund('succeeded')), has_more: true } }), 'unknown'],
    [{ refusal: { status: 404, type: 'invalid_request_error' } }, 'not_found'],
    [{ refusal: { status: 402, type: 'channel_error', code: 'x' } }, 'unknown'],
    [{ object: 'something' }, 'unknown'],
  ])('charge %j → %s', (body, status) => {
    expect(mapCharge(body, now).status).toBe(status);
  });
  it('paid && reversed: money returned by the reversal, not a refund', () => {
    expect(mapCharge(charge({ paid: true, reversed: true }), now)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: true });
    expect(mapCharge(charge({ paid: true, refunded: true, amount_refunded: 40, refunds: list(refund('succeeded', 40)) }), now)).toMatchObject({ full: false, refundedAmount: 40 });
  });
  it.each([
    [charge({ reversed: true }), 'done'],
    [charge({}), 'rejected'],
    [{ refusal: { status: 400, type: 'invalid_request_error', message: 'window' } }, 'rejected'],
    [{ refusal: { status: 402, type: 'channel_error', code: 'x' } }, 'rejected'],
  ])('reverse %j → %s', (body, result) => {
    expect(mapReverse(body).result).toBe(result);
  });
  it.each([
    [refund('pending'), 'accepted'],
    [refund('succeeded'), 'succeeded'],
    [refund('failed'), 'rejected'],
    [{ refusal: { status: 402, type: 'channel_error' } }, 'rejected'],
  ])('refund created %j → %s', (body, result) => {
    expect(mapRefundCreated(body).result).toBe(result);
  });
  it.each([
    ['pending', 'processing'],
    ['succeeded', 'succeeded'],
    ['failed', 'failed'],
  ])('refund status %s → %s', (status, mapped) => {
    expect(mapRefundObservation(refund(status) as never).status).toBe(mapped);
    expect(mapRefundObservation(undefined).status).toBe('not_found');
  });
});

describe('Ping++ adapter against the sandbox', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  const adapter = (over: Record<string, unknown> = {}) => createPingppAdapter({ ...sb.config.providers.pingpp!, ...over }, { timeoutMs: 500 });
  const make = async (state: string, payType = 'alipay_qr', extra: Record<string, unknown> = {}): Promise<OrderRef> => {
    const o = await sb.admin('POST', '/orders', { provider: 'pingpp', state, amount: 5000, payType, ...extra });
    return { provider: 'pingpp', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType, createdAt: o.createdAt };
  };
  const ledgerFor = async (orderId: string) => (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);

  it('retrieve unpaid / paid / unknown charge', async () => {
    expect(await adapter().queryOrder(await make('unpaid'))).toMatchObject({ status: 'unpaid', amount: 5000 });
    expect(await adapter().queryOrder(await make('paid'))).toMatchObject({ status: 'paid' });
    expect(await adapter().queryOrder({ ...(await make('paid')), providerOrderId: 'ch_doesnotexist000000000000' })).toMatchObject({ status: 'not_found' });
  });

  it('reverse an unpaid charge; reverse a paid scan charge returns the money; a paid online charge is refused', async () => {
    const unpaid = await make('unpaid', 'wx_pub_qr');
    expect(await adapter().reverseOrder(unpaid)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(unpaid)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: false });
    const paidScan = await make('paid', 'isv_scan');
    expect(await adapter().reverseOrder(paidScan)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(paidScan)).toMatchObject({ status: 'closed', reversedAfterPayment: true });
    expect(await ledgerFor(paidScan.orderId)).toMatchObject({ paid: 5000, returned: 5000 });
    expect(await adapter().reverseOrder(await make('paid', 'alipay_qr'))).toMatchObject({ result: 'rejected' });
    const old = await make('unpaid', 'alipay_scan', { createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    expect(await adapter().reverseOrder(old)).toMatchObject({ result: 'rejected' });
  });

  it('close is not offered', async () => {
    await expect(adapter().closeOrder(await make('unpaid'))).rejects.toMatchObject({ type: 'not_supported' });
  });

  it('refund looks before it writes: a second call with the same key finds the first refund', async () => {
    const order = await make('paid');
    const request = { refundKey: `${order.orderId}-RF1`, amount: 5000, totalAmount: 5000 };
    expect(await adapter().refundOrder(order, request)).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, request)).toMatchObject({ result: 'already' });
    expect(await adapter().queryRefund(order, request.refundKey)).toMatchObject({ status: 'succeeded', amount: 5000 });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', full: true });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });

  it('a pending refund is accepted and confirmed by refund query', async () => {
    const order = await make('paid', 'alipay_qr', { refundProcessingQueries: 1 });
    expect(await adapter().refundOrder(order, { refundKey: 'K1', amount: 5000, totalAmount: 5000 })).toMatchObject({ result: 'accepted' });
    expect(await adapter().queryRefund(order, 'K1')).toMatchObject({ status: 'succeeded' });
  });

  it('refund with the response lost, retried: still one refund', async () => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'pingpp', call: 'refund', kind: 'applied_response_lost' });
    const request = { refundKey: 'K2', amount: 5000, totalAmount: 5000 };
    await expect(adapter().refundOrder(order, request)).rejects.toMatchObject({ type: 'transient' });
    expect(await adapter().refundOrder(order, request)).toMatchObject({ result: 'already' });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
  });

  it.each([
    ['http_500', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['bad_signature', 'untrusted_response'],
  ])('fault %s on retrieve is thrown as %s', async (kind, type) => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'pingpp', call: 'query', kind });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
  });

  it('timeout on reverse is thrown as transient', async () => {
    const order = await make('unpaid');
    await sb.admin('POST', '/faults', { provider: 'pingpp', call: 'reverse', kind: 'timeout', holdMs: 2000 });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'transient' });
  });

  it('wrong API key → configuration error; missing request signature → refused (401)', async () => {
    const order = await make('paid');
    await expect(adapter({ apiKey: 'sk_test_wrong' }).queryOrder(order)).rejects.toMatchObject({ type: 'configuration' });
    await expect(adapter({ privateKeyPem: undefined }).queryOrder(order)).rejects.toMatchObject({ type: 'configuration' });
    await expect(adapter({ privateKeyPem: key('pingpp_platform_private_pkcs8.pem') }).queryOrder(order)).rejects.toMatchObject({ type: 'configuration' });
  });

  it("the sandbox's charge.succeeded webhook verifies", async () => {
    const order = await make('paid');
    const { pingppSimulator } = await import('../../../../sandbox/providers/pingpp/index.js');
    const stored = sb.sandbox.ctx.store.findByOrderId('pingpp', order.orderId)!;
    const n = pingppSimulator.paymentNotification(stored, sb.sandbox.ctx);
    expect(verifyPingppNotification(sb.config.providers.pingpp!, n.body, n.headers)).toMatchObject({ ok: true, notice: { orderId: order.orderId, providerOrderId: order.providerOrderId, event: 'paid', merchantId: order.merchantId } });
  });
});
