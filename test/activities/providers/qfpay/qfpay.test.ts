/** QFPay: the three published digests and the local vectors, every respcd row, and the adapter against the sandbox. */
import { createQfpayAdapter, verifyQfpayNotification } from '../../../../activities/providers/qfpay/index.js';
import { mapCancel, mapQuery, mapRefund, mapRefundRow } from '../../../../activities/providers/qfpay/mapper.js';
import { pythonJsonDumps, qfpaySignBody, qfpaySignRequest } from '../../../../activities/providers/qfpay/signer.js';
import type { OrderRef } from '../../../../activities/providers/provider.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const parse = (s: string): Record<string, string> => Object.fromEntries(s.split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const KEY = '0E32A59A8B454940A2FF390000000000';

describe('QFPay signer: qfpay.md §2.4', () => {
  it('Q0 official 2016 vector (key run into the last value, as printed)', () => {
    const line =
      'address=TST&bankaccount=168477081838&bankaddr=TST&bankcity=Hong Kong&bankcode=123&bankcountry=Hong Kong&bankname=HSBC&bankswiftcode=HSBCHKHHHKH&bankuser=Peter&channel_type=&city=Hong Kong&country=Hong Kong&email=peter@test.com&idnumber=172845391795&legalperson=Peter&licenseactive_date=20160810&licensenumber=123456&mcc_id=21002&mobile=123456&name=Peter &shopname=PeterShopR&username=peter@test.com001c49ce1d444994b419934286eb07b40f2';
    expect(qfpaySignRequest(parse(line), '')).toBe('3A7A3BBA647FB6FBC28F6687D78212E2');
  });
  it('Q1 official 2017 vector', () => {
    const params = parse(
      'address=XX区XX路XX号&bankaccount=1234567890&bankaddr=银行详细地址&bankcity=成都&bankcode=123&bankcountry=中国&bankname=中国建设银行&bankswiftcode=001&bankuser=王&channel_type=1&city=成都&country=中国&email=email@example.com&idnumber=110000201608220123&licenseactive_date=2016-07-10&licensenumber=12345678&mcc_id=6125485337528623306&mobile=14401234567&name=测试企业&shopname=XX商店&username=some_user',
    );
    expect(qfpaySignRequest(params, '789012')).toBe('E019253E135863C335333C983DF05359');
  });
  it('Q2 official response signature over the raw body', () => {
    const body =
      '{"pay_type": "800108", "sysdtm": "2018-01-12 19:31:16", "cardcd": "2088802362210279", "txdtm": "2018-01-12 19:31:22", "resperr": "\\u4ea4\\u6613\\u6210\\u529f", "txcurrcd": "CNY", "txamt": "1", "respmsg": "", "out_trade_no": "130145934788787530052", "syssn": "20180112000100020001662134", "respcd": "0000"}';
    expect(qfpaySignBody(body, '615ED178BA524459976CE40FAB78000F')).toBe('1E2CE7C2A7F8F581C354A857182B7A31');
  });
  it('Q3 refund request, MD5 and SHA256; Q4 reversal without mchid', () => {
    const q3 = { mchid: 'ZaMVg12345', out_trade_no: 'RFD20191227103939', syssn: '20191227000200020061752831', txamt: '10', txdtm: '2019-12-27 10:39:39' };
    expect(qfpaySignRequest(q3, KEY, 'MD5')).toBe('D564F11D2FAA58359F54D05D7BAB0303');
    expect(qfpaySignRequest(q3, KEY, 'SHA256')).toBe('0031F5AF10D84345AD3F19C45FC727152E55C42790ADF54C48FA96B0435FA881');
    expect(qfpaySignRequest({ out_trade_no: '4MDGEJ7L496LAAU1V1HBY9HMOGWZWLXQ', txamt: '2500', txdtm: '2020-03-05 16:50:30' }, KEY)).toBe('EDB2DE93A95DC995B00E6DA4E7F14C3E');
  });
  it('Q5 notification body in Python json.dumps format; re-serialising breaks it', () => {
    const n = { status: '1', pay_type: '800201', sysdtm: '2020-06-15 10:32:58', paydtm: '2020-06-15 10:33:35', goods_name: '测试', txcurrcd: 'HKD', txdtm: '2020-06-15 10:32:58', txamt: '10', out_trade_no: '9G3ZIWTG1R3IVSC2AH2O5EGKJQ7I72QO', syssn: '20200615000200020000641807', cancel: '0', respcd: '0000', notify_type: 'payment' };
    expect(qfpaySignBody(pythonJsonDumps(n), KEY)).toBe('5124610D69BC71B049FE58F6FF2F234E');
    expect(qfpaySignBody(JSON.stringify(n), KEY)).toBe('00B255F98E3985680894E72FC6C86CC5');
  });
});

describe('QFPay mapper: every respcd row', () => {
  const row = (respcd: string, cancel = '0', extra: Record<string, string> = {}) => ({ syssn: 'S1', out_trade_no: 'O1', order_type: 'payment', txamt: '100', respcd, cancel, ...extra });
  const order = { orderId: 'O1', providerOrderId: 'S1' };
  it.each([
    ['0000', '0', 'paid'],
    ['1260', '0', 'paid'],
    ['1143', '0', 'paying'],
    ['1145', '0', 'paying'],
    ['1298', '0', 'paying'],
    ['2999', '0', 'paying'],
    ['1161', '0', 'paying'],
    ['1261', '0', 'unpaid'],
    ['1142', '2', 'closed'],
    ['1264', '0', 'closed'],
    ['1263', '1', 'closed'],
    ['1181', '0', 'closed'],
    ['1147', '0', 'closed'],
    ['1201', '0', 'closed'],
    ['1202', '0', 'closed'],
    ['2005', '0', 'closed'],
    ['1203', '0', 'closed'],
    ['1204', '0', 'closed'],
    ['1205', '0', 'closed'],
    ['1212', '0', 'closed'],
    ['1262', '0', 'refunded'],
    ['1125', '0', 'refunded'],
    ['0000', '1', 'closed'],
    ['0000', '3', 'unknown'],
    ['9999', '0', 'unknown'],
  ])('row respcd %s cancel %s → %s', (respcd, cancel, status) => {
    expect(mapQuery([row(respcd, cancel)], order).status).toBe(status);
  });
  it('refund rows give the refunded amount', () => {
    const refund = { syssn: 'R1', out_trade_no: 'O1-RF1', origssn: 'S1', order_type: 'refund', txamt: '40', respcd: '0000' };
    expect(mapQuery([row('0000', '5'), refund], order)).toMatchObject({ status: 'refunded', refundedAmount: 40, full: false });
    expect(mapQuery([row('0000', '0'), { ...refund, respcd: '1145' }], order)).toMatchObject({ status: 'refunding' });
    expect(mapRefundRow([refund], 'O1-RF1')).toMatchObject({ status: 'succeeded', refundId: 'R1' });
    expect(mapRefundRow([{ ...refund, respcd: '1143' }], 'O1-RF1')).toMatchObject({ status: 'processing' });
    expect(mapRefundRow([{ ...refund, respcd: '1205' }], 'O1-RF1')).toMatchObject({ status: 'failed' });
    expect(mapRefundRow([], 'O1-RF1')).toMatchObject({ status: 'not_found' });
  });
  it('no rows → not_found', () => {
    expect(mapQuery([], order).status).toBe('not_found');
  });
  it.each([
    [{ respcd: '0000', syssn: 'N1' }, 'done'],
    [{ respcd: '0000' }, 'rejected'],
    [{ respcd: '1263' }, 'already'],
    [{ respcd: '1142' }, 'already'],
    [{ respcd: '1264' }, 'already'],
    [{ respcd: '1297' }, 'rejected'],
    [{ respcd: '1150' }, 'rejected'],
    [{ respcd: '1260' }, 'rejected'],
  ])('reversal/close %j → %s', (body, result) => {
    expect(mapCancel('reverse', body).result).toBe(result);
  });
  it.each([
    ['1143', 'in_progress'],
    ['1145', 'in_progress'],
    ['1100', 'transient'],
    ['1252', 'transient'],
    ['1296', 'transient'],
    ['1108', 'request_rejected'],
    ['1104', 'request_rejected'],
    ['1266', 'request_rejected'],
  ])('write answered %s throws %s', (respcd, type) => {
    expect(() => mapCancel('reverse', { respcd })).toThrow(expect.objectContaining({ type }));
    expect(() => mapRefund({ respcd })).toThrow(expect.objectContaining({ type }));
  });
  it.each([
    [{ respcd: '0000', syssn: 'R' }, 'succeeded'],
    [{ respcd: '1262' }, 'already'],
    [{ respcd: '1272' }, 'rejected'],
    [{ respcd: '1269' }, 'rejected'],
    [{ respcd: '1265' }, 'rejected'],
    [{ respcd: '1270' }, 'rejected'],
  ])('refund %j → %s', (body, result) => {
    expect(mapRefund(body).result).toBe(result);
  });
});

describe('QFPay adapter against the sandbox', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  const adapter = (over: Record<string, unknown> = {}) => createQfpayAdapter({ ...sb.config.providers.qfpay!, ...over }, { timeoutMs: 500 });
  const make = async (state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> => {
    const o = await sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800208', ...extra });
    return { provider: 'qfpay', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType: o.payType, createdAt: o.createdAt };
  };
  const ledgerFor = async (orderId: string) => (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);

  it('query by syssn and by out_trade_no, with MD5 and SHA256 request signatures', async () => {
    const paid = await make('paid');
    expect(await adapter().queryOrder(paid)).toMatchObject({ status: 'paid', amount: 2500 });
    expect(await adapter({ signType: 'MD5' }).queryOrder({ ...paid, providerOrderId: undefined })).toMatchObject({ status: 'paid', providerOrderId: paid.providerOrderId });
    expect(await adapter().queryOrder(await make('unpaid'))).toMatchObject({ status: 'paying', providerCode: 'respcd=1143,cancel=0' });
    expect(await adapter().queryOrder({ ...paid, orderId: 'NOPE', providerOrderId: undefined })).toMatchObject({ status: 'not_found' });
  });

  it('reversal of an unpaid CPM order, confirmed by query; a repeat is "already"', async () => {
    const order = await make('unpaid');
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'reversed' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'already', providerCode: 'respcd=1263' });
  });

  it('close of an unpaid MPM order (GET is accepted too); close of a paid one is refused (1297)', async () => {
    const order = await make('unpaid', { payType: '800201' });
    expect(await adapter().closeOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'closed' });
    expect(await adapter().closeOrder(await make('paid'))).toMatchObject({ result: 'rejected', providerCode: 'respcd=1297' });
  });

  it('reversal with a wrong amount is our mistake (1266)', async () => {
    const order = await make('unpaid');
    await expect(adapter().reverseOrder({ ...order, amount: 1 })).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().reverseOrder({ ...order, createdAt: undefined })).rejects.toMatchObject({ type: 'request_rejected' });
  });

  it('refund, refund query, duplicate key → already; over-refund → 1272; one refund in the ledger', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, { refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 })).toMatchObject({ result: 'succeeded' });
    expect(await adapter().queryRefund(order, `${order.orderId}-RF1`)).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(await adapter().refundOrder(order, { refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 })).toMatchObject({ result: 'already' });
    expect(await adapter().refundOrder(order, { refundKey: `${order.orderId}-RF2`, amount: 2500, totalAmount: 2500 })).toMatchObject({ result: 'rejected' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 2500, full: true });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1, returned: 2500, overReturned: false });
  });

  it('refund with the response lost, retried with the same key: one refund', async () => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'refund', kind: 'applied_response_lost' });
    const refund = { refundKey: `${order.orderId}-RF1`, amount: 2500, totalAmount: 2500 };
    await expect(adapter().refundOrder(order, refund)).rejects.toMatchObject({ type: 'transient' });
    expect(await adapter().refundOrder(order, refund)).toMatchObject({ result: 'already' });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
  });

  it('reversal answering 1143/1145 throws in_progress (retried by Temporal), then succeeds', async () => {
    const order = await make('unpaid');
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'reverse', kind: 'in_progress', count: 2, codes: ['1143', '1145'] });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'respcd=1143' } });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'respcd=1145' } });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
  });

  it.each([
    ['http_500', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['bad_signature', 'untrusted_response'],
  ])('fault %s on query is thrown as %s', async (kind, type) => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'query', kind });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
  });

  it('timeout on close is thrown as transient and nothing was applied', async () => {
    const order = await make('unpaid', { payType: '800201' });
    await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'close', kind: 'timeout', holdMs: 2000 });
    await expect(adapter().closeOrder(order)).rejects.toMatchObject({ type: 'transient' });
    expect((await sb.admin('GET', `/orders/qfpay/${order.orderId}`)).state).toBe('unpaid');
  });

  it('wrong client key: the sandbox answers 1108, and its answer cannot be verified either', async () => {
    await expect(adapter({ clientKey: 'F'.repeat(32) }).queryOrder(await make('paid'))).rejects.toMatchObject({ type: 'untrusted_response' });
    const raw = await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, { method: 'POST', headers: { 'x-qf-appcode': 'SANDBOXAPPCODE0001', 'x-qf-sign': 'bad', 'content-type': 'application/x-www-form-urlencoded' }, body: 'out_trade_no=x' });
    expect(await raw.json()).toMatchObject({ respcd: '1108' });
  });

  it("the sandbox's payment notification verifies on the raw bytes; re-serialised it does not", async () => {
    const order = await make('unpaid');
    const n = (await import('../../../../sandbox/providers/qfpay/index.js')).qfpaySimulator.paymentNotification(
      { ...(await sb.admin('GET', `/orders/qfpay/${order.orderId}`)), createdAt: new Date(order.createdAt!), paidAt: new Date() } as never,
      sb.sandbox.ctx,
    );
    const config = sb.config.providers.qfpay!;
    expect(verifyQfpayNotification(config, n.body, n.headers)).toMatchObject({ ok: true, notice: { provider: 'qfpay', orderId: order.orderId, event: 'paid' } });
    expect(verifyQfpayNotification(config, JSON.stringify(JSON.parse(n.body)), n.headers)).toMatchObject({ ok: false });
    expect(n.isAck(200, 'SUCCESS')).toBe(true);
    expect(n.isAck(200, 'ok')).toBe(false);
  });
});
