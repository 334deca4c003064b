/** WeChat Pay v3 partner: signature and AEAD vectors, every mapper row, and the adapter against the sandbox. */
import { readFileSync } from 'node:fs';
import { createWechatpayAdapter, verifyWechatpayNotification } from '../../../../activities/providers/wechatpay/index.js';
import { mapClose, mapQuery, mapRefund, mapRefundQuery, mapReverse } from '../../../../activities/providers/wechatpay/mapper.js';
import { authorizationHeader, decryptResource, encryptResource, parseAuthorization, requestMessage, responseMessage, rsaSign, rsaVerify } from '../../../../activities/providers/wechatpay/signer.js';
import type { OrderRef } from '../../../../activities/providers/provider.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const v = JSON.parse(readFileSync('test/fixtures/vectors/wechatpay_vectors.json', 'utf8'));
const key = (name: string) => readFileSync(`${FIXTURE_KEYS}/${name}`, 'utf8');
const merchantPrivate = key('wxpay_merchant_private_pkcs8.pem');
const platformPublic = key('wxpay_platform_public_spki.pem');

describe('WeChat Pay signer: wechatpay-v3-partner.md §2.5, §3, §4.4 vectors', () => {
  it('A: GET query — five-line message, signature and Authorization header', () => {
    expect(requestMessage('GET', '/v3/pay/partner/transactions/out-trade-no/1217752501201407033233368018?sp_mchid=1230000109&sub_mchid=1900000109', 1554208460, '593BEC0C930BF1AFEB40B4A08C8FB242', '')).toBe(v.A.message);
    expect(rsaSign(v.A.message, merchantPrivate)).toBe(v.A.signature);
    const auth = parseAuthorization(v.A.authorization)!;
    expect(authorizationHeader(auth)).toBe(v.A.authorization);
    expect(auth).toMatchObject({ mchid: '1230000109', timestamp: '1554208460', serial_no: '3775B6A45ACD588826D15E583A95F5DD00000000' });
  });
  it('B: POST refund and C: POST reverse', () => {
    expect(requestMessage('POST', '/v3/refund/domestic/refunds', 1554208461, 'C0FFEE0123456789C0FFEE0123456789', v.B.body)).toBe(v.B.message);
    expect(rsaSign(v.B.message, merchantPrivate)).toBe(v.B.signature);
    expect(rsaSign(v.C.message, merchantPrivate)).toBe(v.C.signature);
  });
  it('D: response verification over ts\\nnonce\\nbody\\n; D2: a 204 with an empty body', () => {
    expect(rsaVerify(v.D.message, v.D.signature, platformPublic)).toBe(true);
    expect(responseMessage(1554209980, 'c5ac7061fccab6bf3e254dcf98995b8c', v.D.body)).toBe(v.D.message);
    expect(rsaVerify(v.D.message.replace('SUCCESS', 'NOTPAY'), v.D.signature, platformPublic)).toBe(false);
    expect(rsaVerify(responseMessage(1554209980, 'c5ac7061fccab6bf3e254dcf98995b8c', ''), v.D2.signature, platformPublic)).toBe(true);
  });
  it('E: AEAD_AES_256_GCM decrypts the notification resource; a wrong key does not', () => {
    expect(decryptResource(v.E.apiv3key, v.E.nonce, v.E.associated_data, v.E.ciphertext)).toBe(v.E.plaintext);
    expect(encryptResource(v.E.apiv3key, v.E.nonce, v.E.associated_data, v.E.plaintext)).toBe(v.E.ciphertext);
    expect(() => decryptResource('x'.repeat(32), v.E.nonce, v.E.associated_data, v.E.ciphertext)).toThrow();
  });
  it('E: the signed notification verifies and decrypts; probes, stale and tampered ones do not', () => {
    const [ts, nonce] = v.E.sig_message.split('\n');
    const config = { spMchid: '1230000109', merchantSerial: 's', privateKeyPem: merchantPrivate, platformKeyId: v.D.serial, platformPublicKeyPem: platformPublic, apiV3Key: v.E.apiv3key, baseUrl: 'http://x', maxRps: 1 };
    const headers = { 'wechatpay-serial': v.D.serial, 'wechatpay-timestamp': ts, 'wechatpay-nonce': nonce, 'wechatpay-signature': v.E.signature };
    const at = new Date(Number(ts) * 1000);
    expect(verifyWechatpayNotification(config, v.E.notify_body, headers, at)).toEqual({
      ok: true,
      notice: { provider: 'wechatpay', merchantId: '1900000109', orderId: '1217752501201407033233368018', providerOrderId: '4200000985202103031441826014', event: 'paid' },
    });
    expect(verifyWechatpayNotification(config, v.E.notify_body, headers, new Date(at.getTime() + 301_000))).toMatchObject({ ok: false });
    expect(verifyWechatpayNotification(config, v.E.notify_body, { ...headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abc' }, at)).toMatchObject({ ok: false });
    expect(verifyWechatpayNotification(config, v.E.notify_body.replace('TRANSACTION', 'REFUND'), headers, at)).toMatchObject({ ok: false });
    expect(verifyWechatpayNotification({ ...config, platformKeyId: 'PUB_KEY_ID_other' }, v.E.notify_body, headers, at)).toMatchObject({ ok: false });
  });
});

describe('WeChat Pay mapper: every row', () => {
  const a = (status: number, body?: unknown, untrusted?: string) => ({ status, body, untrusted });
  it.each([
    ['SUCCESS', 'paid'],
    ['NOTPAY', 'unpaid'],
    ['USERPAYING', 'paying'],
    ['CLOSED', 'closed'],
    ['REVOKED', 'closed'],
    ['PAYERROR', 'closed'],
    ['REFUND', 'refunded'],
    ['ACCEPT', 'unknown'],
  ])('trade_state %s → %s', (trade_state, status) => {
    expect(mapQuery(a(200, { out_trade_no: 'O', trade_state, amount: { total: 1 } })).status).toBe(status);
  });
  it('REFUND never reads as a full refund; untrusted answers are unknown; 404 is not_found', () => {
    expect(mapQuery(a(200, { out_trade_no: 'O', trade_state: 'REFUND' }))).toMatchObject({ full: false });
    expect(mapQuery(a(200, { out_trade_no: 'O', trade_state: 'SUCCESS' }, 'Wechatpay-Signature did not verify')).status).toBe('unknown');
    expect(mapQuery(a(404, { code: 'ORDER_NOT_EXIST' })).status).toBe('not_found');
  });
  it.each([
    [400, 'PARAM_ERROR', 'request_rejected'],
    [400, 'INVALID_REQUEST', 'request_rejected'],
    [401, 'SIGN_ERROR', 'request_rejected'],
    [400, 'APPID_MCHID_NOT_MATCH', 'request_rejected'],
    [403, 'NO_AUTH', 'request_rejected'],
    [500, 'SYSTEM_ERROR', 'transient'],
    [202, 'X', 'transient'],
  ])('HTTP %s %s → %s on every call', (status, code, type) => {
    for (const map of [mapQuery, mapClose, mapReverse, mapRefund, mapRefundQuery] as ((x: unknown) => unknown)[]) {
      expect(() => map(a(status, { code }))).toThrow(expect.objectContaining({ type }));
    }
  });
  it.each([
    [a(204), 'done'],
    [a(400, { code: 'ORDER_CLOSED' }), 'already'],
    [a(400, { code: 'ORDER_PAID' }), 'rejected'],
  ])('close %j → %s', (answer, result) => {
    expect(mapClose(answer).result).toBe(result);
  });
  it.each([
    [a(200, {}), 'done'],
    [a(400, { code: 'ORDER_CLOSED' }), 'already'],
    [a(403, { code: 'REVERSE_EXPIRE' }), 'rejected'],
  ])('reverse %j → %s', (answer, result) => {
    expect(mapReverse(answer).result).toBe(result);
  });
  it('reverse USERPAYING is in progress; an untrusted write answer is thrown', () => {
    expect(() => mapReverse(a(403, { code: 'USERPAYING' }))).toThrow(expect.objectContaining({ type: 'in_progress' }));
    expect(() => mapRefund(a(200, {}, 'bad'))).toThrow(expect.objectContaining({ type: 'untrusted_response' }));
  });
  const refund = (status: string) => ({ refund_id: 'R', out_refund_no: 'K', status, amount: { refund: 1 } });
  it.each([
    ['SUCCESS', 'succeeded', 'succeeded'],
    ['PROCESSING', 'accepted', 'processing'],
    ['ABNORMAL', 'accepted', 'processing'],
    ['CLOSED', 'rejected', 'failed'],
  ])('refund status %s → create %s, query %s', (status, created, queried) => {
    expect(mapRefund(a(200, refund(status))).result).toBe(created);
    expect(mapRefundQuery(a(200, refund(status))).status).toBe(queried);
  });
  it('refund errors', () => {
    expect(mapRefund(a(403, { code: 'NOT_ENOUGH' })).result).toBe('rejected');
    expect(() => mapRefund(a(404, { code: 'RESOURCE_NOT_EXISTS' }))).toThrow(expect.objectContaining({ type: 'transient' }));
    expect(mapRefundQuery(a(404, { code: 'RESOURCE_NOT_EXISTS' })).status).toBe('not_found');
  });
});

describe('WeChat Pay adapter against the sandbox', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  const adapter = (over: Record<string, unknown> = {}) => createWechatpayAdapter({ ...sb.config.providers.wechatpay!, ...over }, { timeoutMs: 500 });
  const make = async (state: string, payType = 'NATIVE', extra: Record<string, unknown> = {}): Promise<OrderRef> => {
    const o = await sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 4200, payType, ...extra });
    return { provider: 'wechatpay', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, currency: o.currency, payType, createdAt: o.createdAt };
  };
  const ledgerFor = async (orderId: string) => (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);
  const refundOf = (order: OrderRef, n = 1) => ({ refundKey: `${order.orderId}-RF${n}`, amount: 4200, totalAmount: 4200 });

  it('query: NOTPAY, SUCCESS, USERPAYING; wrong sub_mchid finds nothing', async () => {
    expect(await adapter().queryOrder(await make('unpaid'))).toMatchObject({ status: 'unpaid', amount: 4200 });
    const paid = await make('paid');
    expect(await adapter().queryOrder(paid)).toMatchObject({ status: 'paid', providerOrderId: paid.providerOrderId });
    expect(await adapter().queryOrder(await make('paying', 'MICROPAY'))).toMatchObject({ status: 'paying' });
    expect(await adapter().queryOrder({ ...paid, merchantId: '1900000999' })).toMatchObject({ status: 'not_found' });
  });

  it('close: 204, confirmed CLOSED by query; a paid order answers ORDER_PAID', async () => {
    const order = await make('unpaid');
    expect(await adapter().closeOrder(order)).toMatchObject({ result: 'done', providerCode: 'HTTP 204' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'closed' });
    expect(await adapter().closeOrder(await make('paid'))).toMatchObject({ result: 'rejected', providerCode: 'ORDER_PAID' });
  });

  it('reverse codepay: unpaid → REVOKED; paid → money back once; past 7 days → REVERSE_EXPIRE', async () => {
    const unpaid = await make('unpaid', 'MICROPAY');
    expect(await adapter().reverseOrder(unpaid)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(unpaid)).toMatchObject({ status: 'closed', reason: 'reversed' });
    const paid = await make('paid', 'MICROPAY');
    expect(await adapter().reverseOrder(paid)).toMatchObject({ result: 'done' });
    expect(await adapter().reverseOrder(paid)).toMatchObject({ result: 'done' });
    expect(await ledgerFor(paid.orderId)).toMatchObject({ paid: 4200, returned: 4200, overReturned: false });
    const old = await make('unpaid', 'MICROPAY', { createdAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    expect(await adapter().reverseOrder(old)).toMatchObject({ result: 'rejected', providerCode: 'REVERSE_EXPIRE' });
  });

  it('reverse while the payer is still entering the password → in_progress', async () => {
    const order = await make('paying', 'MICROPAY');
    await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'reverse', kind: 'in_progress' });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress' });
  });

  it('refund: same out_refund_no returns the same refund; a different amount is refused; query finds it', async () => {
    const order = await make('paid');
    const first = await adapter().refundOrder(order, refundOf(order));
    expect(first).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded', refundId: first.refundId });
    await expect(adapter().refundOrder(order, { ...refundOf(order), amount: 100 })).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded', refundId: first.refundId, amount: 4200 });
    expect(await adapter().queryRefund(order, 'NOPE')).toMatchObject({ status: 'not_found' });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });

  it('a processing refund is accepted, then succeeds on query', async () => {
    const order = await make('paid', 'NATIVE', { refundProcessingQueries: 1 });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'accepted' });
    expect(await adapter().queryRefund(order, refundOf(order).refundKey)).toMatchObject({ status: 'succeeded' });
  });

  it('refund of an unpaid order: RESOURCE_NOT_EXISTS (retried as transient)', async () => {
    await expect(adapter().refundOrder(await make('unpaid'), { refundKey: 'X1', amount: 4200, totalAmount: 4200 })).rejects.toMatchObject({ type: 'transient' });
  });

  it('refund with the response lost, retried with the same key: one refund', async () => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'refund', kind: 'applied_response_lost' });
    await expect(adapter().refundOrder(order, refundOf(order))).rejects.toMatchObject({ type: 'transient' });
    expect(await adapter().refundOrder(order, refundOf(order))).toMatchObject({ result: 'succeeded' });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
  });

  it.each([
    ['http_500', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
  ])('fault %s on query is thrown as %s', async (kind, type) => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
  });

  it('a badly signed query answer is unknown, never paid; a timeout is transient', async () => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'bad_signature' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', reason: 'Wechatpay-Signature did not verify' });
    await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'close', kind: 'timeout', holdMs: 2000 });
    await expect(adapter().closeOrder(order)).rejects.toMatchObject({ type: 'transient' });
  });

  it('the sandbox refuses a request signed with the wrong key (401 SIGN_ERROR), and the adapter calls it our mistake', async () => {
    await expect(adapter({ privateKeyPem: key('wxpay_platform_private_pkcs8.pem') }).closeOrder(await make('unpaid'))).rejects.toMatchObject({ type: 'request_rejected' });
  });

  it('answers signed by an unknown key are not trusted', async () => {
    expect(await adapter({ platformKeyId: 'PUB_KEY_ID_00000000000000000000000000000000' }).queryOrder(await make('paid'))).toMatchObject({ status: 'unknown', reason: expect.stringContaining('unknown key') });
  });

  it("the sandbox's TRANSACTION.SUCCESS notification verifies and decrypts", async () => {
    const order = await make('paid');
    const { wechatpaySimulator } = await import('../../../../sandbox/providers/wechatpay/index.js');
    const n = wechatpaySimulator.paymentNotification(sb.sandbox.ctx.store.findByOrderId('wechatpay', order.orderId)!, sb.sandbox.ctx);
    expect(verifyWechatpayNotification(sb.config.providers.wechatpay!, n.body, n.headers)).toEqual({
      ok: true,
      notice: { provider: 'wechatpay', merchantId: order.merchantId, orderId: order.orderId, providerOrderId: order.providerOrderId, event: 'paid' },
    });
  });
});
