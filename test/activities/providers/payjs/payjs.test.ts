/** PAYJS: documented signature vectors, every mapper row, and the adapter against the sandbox over HTTP. */
import { createPayjsAdapter, verifyPayjsNotification } from '../../../../activities/providers/payjs/index.js';
import { mapCancel, mapCheck, mapRefund } from '../../../../activities/providers/payjs/mapper.js';
import { payjsSign, payjsVerify, signingString } from '../../../../activities/providers/payjs/signer.js';
import type { ProviderError } from '../../../../activities/errors.js';
import type { OrderRef } from '../../../../activities/providers/provider.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const KEY = 'PJkey0123456789ABCDEFabcdef01234';

describe('PAYJS signer: payjs.md §2.4 vectors', () => {
  it('P1 documentation example', () => {
    expect(payjsSign({ mchid: '12345', out_trade_no: '123123123123', total_fee: 1 }, 'xxxxxxxxx')).toBe('D284B39BA646EB978DF4FF1F5E59D2AD');
  });
  it('P2 check request', () => {
    expect(payjsSign({ mchid: '1528140051', payjs_order_id: '2019043012232600733973651' }, KEY)).toBe('C859D51AFB8A527BD4CE2CE12AE964B0');
  });
  const p3 = { mchid: '1528140051', out_trade_no: '2332', paid_time: '0', payjs_order_id: '2019043012232600733973651', return_code: 1, status: 0, total_fee: 21, transaction_id: '0' };
  it('P3a drops "0" and 0 like PHP array_filter; P3b keeps them', () => {
    expect(payjsSign(p3, KEY)).toBe('6C0A06B240E79F57B74A86830BB42BB4');
    expect(payjsSign(p3, KEY, true)).toBe('575FDCE117E85979BA17E0AF91DE381E');
    expect(payjsVerify({ ...p3, sign: '575FDCE117E85979BA17E0AF91DE381E' }, KEY)).toBe(true);
    expect(payjsVerify({ ...p3, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, KEY)).toBe(true);
    expect(payjsVerify({ ...p3, total_fee: 22, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, KEY)).toBe(false);
  });
  it('P4a raw values with space, + and Chinese; empty type dropped', () => {
    const p4 = {
      return_code: 1,
      total_fee: 100,
      out_trade_no: 'ORDER-20240101-0001',
      payjs_order_id: '2024010112000000123456789',
      transaction_id: '4200002000202401011234567890',
      time_end: '2024-01-01 12:00:05',
      openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
      mchid: '1528140051',
      attach: 'a b+c 中文',
      type: '',
    };
    expect(signingString(p4, KEY)).toContain('attach=a b+c 中文&mchid=');
    expect(payjsSign(p4, KEY)).toBe('5EF8D06CC5B95DACA93B1FFF263A217D');
    expect(payjsSign(p4, KEY)).not.toBe('2B38ECC110195FE33E6295E56A38F925');
  });
});

describe('PAYJS mapper: every row', () => {
  const ok = (body: Record<string, unknown>) => ({ body: body as never, verified: true });
  it.each([
    [{ return_code: 1, status: 1, total_fee: 21, payjs_order_id: 'P' }, 'paid'],
    [{ return_code: 1, status: '1', total_fee: '21' }, 'paid'],
    [{ return_code: 1, status: 0 }, 'unpaid'],
    [{ return_code: 1, status: 7 }, 'unknown'],
    [{ return_code: 0, return_msg: '订单不存在' }, 'unknown'],
    [{ return_code: 'x' }, 'unknown'],
  ])('check %j → %s', (body, status) => {
    expect(mapCheck(ok(body)).status).toBe(status);
  });
  it('an unverified check answer is unknown, never paid', () => {
    expect(mapCheck({ body: { return_code: 1, status: 1 }, verified: false })).toMatchObject({ status: 'unknown' });
  });
  it('check rejecting our signature is our mistake (non-retryable)', () => {
    expect(() => mapCheck(ok({ return_code: 0, return_msg: '签名错误' }))).toThrow(expect.objectContaining({ type: 'request_rejected' }));
  });
  it.each([
    [{ return_code: 1 }, 'done'],
    [{ return_code: 0, return_msg: '订单超过7天' }, 'rejected'],
  ])('reverse/close %j → %s', (body, result) => {
    expect(mapCancel('reverse', ok(body)).result).toBe(result);
    expect(mapCancel('close', ok(body)).result).toBe(result);
  });
  it.each([
    [{ return_code: 1 }, 'succeeded'],
    [{ return_code: 1, refund: '1' }, 'already'],
    [{ return_code: 0, refund: '1' }, 'already'],
    [{ return_code: 0, return_msg: '余额不足' }, 'rejected'],
  ])('refund %j → %s', (body, result) => {
    expect(mapRefund(ok(body)).result).toBe(result);
  });
  it('an unsigned refund success is not trusted', () => {
    expect(() => mapRefund({ body: { return_code: 1 }, verified: false })).toThrow(expect.objectContaining({ type: 'untrusted_response' }));
  });
});

describe('PAYJS adapter against the sandbox', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  const adapter = () => createPayjsAdapter(sb.config.providers.payjs!, { timeoutMs: 500 });
  const make = async (state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> => {
    const o = await sb.admin('POST', '/orders', { provider: 'payjs', state, amount: 2100, ...extra });
    return { provider: 'payjs', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, createdAt: o.createdAt };
  };
  const ledgerFor = async (orderId: string) => (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);

  it('check: unpaid, paid, unknown id', async () => {
    expect(await adapter().queryOrder(await make('unpaid'))).toMatchObject({ status: 'unpaid', amount: 2100 });
    expect(await adapter().queryOrder(await make('paid'))).toMatchObject({ status: 'paid', amount: 2100 });
    const missing = { ...(await make('unpaid')), providerOrderId: '2000000000000000000000000' };
    expect(await adapter().queryOrder(missing)).toMatchObject({ status: 'unknown' });
  });

  it('close unpaid → done; close paid → rejected', async () => {
    const unpaid = await make('unpaid');
    expect(await adapter().closeOrder(unpaid)).toMatchObject({ result: 'done' });
    expect((await sb.admin('GET', `/orders/payjs/${unpaid.orderId}`)).state).toBe('closed');
    expect(await adapter().closeOrder(await make('paid'))).toMatchObject({ result: 'rejected' });
  });

  it('reverse a paid micropay order returns the money once; a repeat is harmless; past 7 days is rejected', async () => {
    const paid = await make('paid', { payType: 'micropay' });
    expect(await adapter().reverseOrder(paid)).toMatchObject({ result: 'done' });
    expect(await adapter().reverseOrder(paid)).toMatchObject({ result: 'done' });
    expect(await ledgerFor(paid.orderId)).toMatchObject({ paid: 2100, returned: 2100, overReturned: false });
    const old = await make('unpaid', { createdAt: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    expect(await adapter().reverseOrder(old)).toMatchObject({ result: 'rejected' });
  });

  it('refund, then a repeat answers refund="1": one refund in the ledger', async () => {
    const paid = await make('paid');
    expect(await adapter().refundOrder(paid, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).toMatchObject({ result: 'succeeded' });
    expect(await adapter().refundOrder(paid, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).toMatchObject({ result: 'already' });
    expect(await ledgerFor(paid.orderId)).toMatchObject({ refundCount: 1, overReturned: false });
  });

  it('refund with the response lost, retried: still one refund', async () => {
    const paid = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'applied_response_lost' });
    await expect(adapter().refundOrder(paid, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).rejects.toMatchObject({ type: 'transient' });
    expect(await adapter().refundOrder(paid, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).toMatchObject({ result: 'already' });
    expect(await ledgerFor(paid.orderId)).toMatchObject({ refundCount: 1 });
  });

  it.each([
    ['http_500', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
  ])('fault %s on check is thrown as %s', async (kind, type) => {
    const order = await make('unpaid');
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'query', kind });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type } satisfies Partial<ProviderError>);
  });

  it('timeout on check is thrown as transient', async () => {
    const order = await make('unpaid');
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'query', kind: 'timeout', holdMs: 2000 });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type: 'transient' });
  });

  it('a badly signed check answer is unknown; a badly signed refund answer is untrusted', async () => {
    const order = await make('paid');
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'query', kind: 'bad_signature' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown' });
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'bad_signature' });
    await expect(adapter().refundOrder(order, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).rejects.toMatchObject({ type: 'untrusted_response' });
  });

  it('a request signed with the wrong key is refused by the sandbox, and its answer is never trusted', async () => {
    const order = await make('paid');
    const raw = await fetch(`${sb.sandbox.url}/payjs/api/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ mchid: order.merchantId, payjs_order_id: order.providerOrderId!, sign: payjsSign({ mchid: order.merchantId, payjs_order_id: order.providerOrderId! }, 'wrong-key') }),
    });
    expect(await raw.json()).toMatchObject({ return_code: 0, return_msg: '签名错误' });
    const wrong = createPayjsAdapter({ ...sb.config.providers.payjs!, key: 'wrong-key' });
    expect(await wrong.queryOrder(order)).toMatchObject({ status: 'unknown', reason: expect.stringContaining('signature') });
    await expect(wrong.refundOrder(order, { refundKey: 'k', amount: 2100, totalAmount: 2100 })).rejects.toMatchObject({ type: 'untrusted_response' });
    expect(await ledgerFor(order.orderId)).toMatchObject({ refundCount: 0 });
  });

  it('an order of another merchant or without payjs_order_id is refused before any call', async () => {
    const order = await make('unpaid');
    await expect(adapter().queryOrder({ ...order, merchantId: 'other' })).rejects.toMatchObject({ type: 'configuration' });
    await expect(adapter().queryOrder({ ...order, providerOrderId: undefined })).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().queryRefund(order, 'k')).rejects.toMatchObject({ type: 'not_supported' });
  });

  it("the sandbox's payment notification verifies; a tampered one does not", async () => {
    const order = await make('unpaid');
    const received: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.end('success');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await sb.admin('PUT', '/notify-url', { url: `http://127.0.0.1:${port}/notify/{provider}` });
    await sb.admin('POST', `/orders/payjs/${order.orderId}/pay`);
    while (received.length === 0) await new Promise((r) => setTimeout(r, 50));
    server.close();
    const verified = verifyPayjsNotification(sb.config.providers.payjs!, received[0]!);
    expect(verified).toEqual({ ok: true, notice: { provider: 'payjs', merchantId: order.merchantId, orderId: order.orderId, providerOrderId: order.providerOrderId, event: 'paid' } });
    expect(verifyPayjsNotification(sb.config.providers.payjs!, received[0]!.replace('total_fee=2100', 'total_fee=1'))).toMatchObject({ ok: false });
  });
});
