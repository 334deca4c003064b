/** The PAYJS adapter against the sandbox over real HTTP: every call, every order state, every fault. */
import { createServer } from 'node:http';
import { createPayjsAdapter, PAYJS_NOTICE_ACK, verifyPayjsNotification } from '../../../../activities/providers/payjs/index.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { payjsSandboxSettings, resetPayjsSandboxSettings } from '../../../../sandbox/providers/payjs/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const DAY = 86_400_000;
let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetPayjsSandboxSettings();
  await sb.admin('DELETE', '/faults');
});

const adapter = (): ProviderAdapter => createPayjsAdapter(sb.config.providers.payjs!, { timeoutMs: 500 });
const make = async (state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> => {
  const o = await sb.admin('POST', '/orders', { provider: 'payjs', state, amount: 2100, ...extra });
  return { provider: 'payjs', merchantId: o.merchantId, orderId: o.orderId, providerOrderId: o.providerOrderId, amount: o.amount, payType: o.payType, createdAt: o.createdAt };
};
const full = (order: OrderRef) => ({ refundKey: `${order.orderId}:refund:1`, amount: order.amount!, totalAmount: order.amount! });
const stateOf = async (order: OrderRef): Promise<string> => (await sb.admin('GET', `/orders/payjs/${order.orderId}`)).state;
const fault = (call: string, kind: string, extra: Record<string, unknown> = {}) => sb.admin('POST', '/faults', { provider: 'payjs', call, kind, ...extra });
/** Money movements the ledger recorded for this order, by kind. */
const moves = async (order: OrderRef) => {
  const { entries, overReturned } = await sb.admin('GET', '/ledger');
  const mine = entries.filter((e: { orderId: string }) => e.orderId === order.orderId);
  const count = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind).length;
  return { payment: count('payment'), refund: count('refund'), reversal: count('reversal_return'), overReturned: overReturned.length };
};

describe('check', () => {
  it.each([
    ['unpaid', 'unpaid'],
    ['paid', 'paid'],
    ['closed', 'unpaid'],
    ['expired', 'unpaid'],
    ['failed', 'unpaid'],
    ['reversed', 'unpaid'],
    // Default reading of §8 Q3: status stays 1 once paid; check cannot show the refund.
    ['refunded', 'paid'],
    ['partially_refunded', 'paid'],
  ])('a %s order reads as %s', async (state, status) => {
    const order = await make(state);
    expect(await adapter().queryOrder(order)).toMatchObject({ status, amount: 2100, providerOrderId: order.providerOrderId });
  });

  it('a paid order carries its Beijing paid time', async () => {
    const obs = await adapter().queryOrder(await make('paid'));
    expect(obs).toMatchObject({ status: 'paid', providerCode: 'status=1', paidAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/) });
    expect(Math.abs(Date.parse((obs as { paidAt: string }).paidAt) - Date.now())).toBeLessThan(3_600_000);
  });

  it('an order still being paid reads as unpaid (PAYJS has no paying state), then paid', async () => {
    const order = await make('paying', { payingQueries: 1, thenState: 'paid' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unpaid' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it('under the other reading (status 0 after money went back) a refunded or reversed order is unknown, never paid or unpaid', async () => {
    payjsSandboxSettings.checkAfterReturn = 'unpaid';
    const refunded = await make('refunded');
    const reversed = await make('paid', { payType: 'micropay' });
    expect(await adapter().reverseOrder(reversed)).toMatchObject({ result: 'done' });
    for (const order of [refunded, reversed]) {
      expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'status=0+paid_facts' });
    }
    expect(await adapter().queryOrder(await make('paid'))).toMatchObject({ status: 'paid' });
  });

  it('an unknown payjs_order_id, or one that belongs to another out_trade_no, is unknown', async () => {
    const order = await make('paid');
    expect(await adapter().queryOrder({ ...order, providerOrderId: '2000010100000000000000000' })).toMatchObject({ status: 'unknown', reason: expect.stringContaining('订单不存在') });
    expect(await adapter().queryOrder({ ...order, orderId: 'SOMEONE-ELSE' })).toMatchObject({ status: 'unknown', reason: expect.stringContaining('belongs to') });
  });
});

describe('close', () => {
  it.each([
    ['unpaid', 'done', 'closed'],
    ['paying', 'done', 'closed'],
    ['closed', 'done', 'closed'],
    ['expired', 'done', 'expired'],
    ['reversed', 'done', 'reversed'],
    ['paid', 'rejected', 'paid'],
    ['refunded', 'rejected', 'refunded'],
  ])('a %s order: %s, then %s', async (state, result, after) => {
    const order = await make(state);
    expect(await adapter().closeOrder(order)).toMatchObject({ result });
    expect(await stateOf(order)).toBe(after);
  });

  it('past 30 days: rejected with the reason, nothing changes', async () => {
    const order = await make('unpaid', { createdAt: new Date(Date.now() - 31 * DAY).toISOString() });
    expect(await adapter().closeOrder(order)).toMatchObject({ result: 'rejected', providerCode: 'return_code=0', message: expect.stringContaining('30') });
    expect(await stateOf(order)).toBe('unpaid');
  });
});

describe('reverse', () => {
  it('an unpaid order is closed without money', async () => {
    const order = await make('unpaid', { payType: 'micropay' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await stateOf(order)).toBe('reversed');
    expect(await moves(order)).toEqual({ payment: 0, refund: 0, reversal: 0, overReturned: 0 });
  });

  it('a paid order gets its money back once; a repeat changes nothing', async () => {
    const order = await make('paid', { payType: 'micropay' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(order)).toEqual({ payment: 1, refund: 0, reversal: 1, overReturned: 0 });
  });

  it('a refunded order is rejected; past 7 days is rejected', async () => {
    expect(await adapter().reverseOrder(await make('refunded'))).toMatchObject({ result: 'rejected' });
    const old = await make('paid', { payType: 'micropay', createdAt: new Date(Date.now() - 8 * DAY).toISOString() });
    expect(await adapter().reverseOrder(old)).toMatchObject({ result: 'rejected', message: expect.stringContaining('7') });
    expect(await moves(old)).toMatchObject({ reversal: 0 });
  });
});

describe('refund', () => {
  it('a paid order is refunded in full once; a repeat answers refund "1" → already', async () => {
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'succeeded', providerCode: 'return_code=1' });
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already', providerCode: 'refund=1' });
    expect(await moves(order)).toEqual({ payment: 1, refund: 1, reversal: 0, overReturned: 0 });
    expect(await stateOf(order)).toBe('refunded');
  });

  it('a repeat answered with return_code 1 and refund "1" is still already', async () => {
    payjsSandboxSettings.repeatRefundReturnCode = 1;
    const order = await make('refunded');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
    expect(await moves(order)).toMatchObject({ refund: 1, overReturned: 0 });
  });

  it('an order reversed after payment is already refunded: nothing more goes back', async () => {
    const order = await make('paid', { payType: 'micropay' });
    await adapter().reverseOrder(order);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'already' });
    expect(await moves(order)).toEqual({ payment: 1, refund: 0, reversal: 1, overReturned: 0 });
  });

  it.each(['unpaid', 'closed', 'reversed', 'expired'])('a %s order is rejected', async (state) => {
    const order = await make(state);
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'rejected', providerCode: 'return_code=0' });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });

  it('too little unsettled balance is rejected', async () => {
    payjsSandboxSettings.unsettledBalance = 2100;
    const order = await make('paid');
    expect(await adapter().refundOrder(order, full(order))).toMatchObject({ result: 'rejected', message: expect.stringContaining('不足') });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });

  it('a partial refund is never sent: PAYJS would refund everything', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder(order, { ...full(order), amount: 1000 })).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(adapter().refundOrder({ ...order, amount: 1000 }, full(order))).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });

  it('queryRefund is not offered', async () => {
    await expect(adapter().queryRefund(await make('refunded'), 'k')).rejects.toMatchObject({ type: 'not_supported' });
  });
});

describe('our own mistakes', () => {
  it('an order of another merchant, or without payjs_order_id, is refused before any call', async () => {
    const order = await make('paid');
    await expect(adapter().refundOrder({ ...order, merchantId: '1528140052' }, full(order))).rejects.toMatchObject({ type: 'configuration' });
    await expect(adapter().queryOrder({ ...order, providerOrderId: undefined })).rejects.toMatchObject({ type: 'request_rejected', message: expect.stringContaining('payjs_order_id') });
    expect(await moves(order)).toMatchObject({ refund: 0 });
  });

  it('a wrong key: PAYJS refuses our signature, and that is non-retryable on every call', async () => {
    const wrong = createPayjsAdapter({ ...sb.config.providers.payjs!, key: 'not-the-sandbox-key' });
    const order = await make('paid');
    await expect(wrong.queryOrder(order)).rejects.toMatchObject({ type: 'request_rejected', retryable: false });
    await expect(wrong.refundOrder(order, full(order))).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(wrong.closeOrder(order)).rejects.toMatchObject({ type: 'request_rejected' });
    await expect(wrong.reverseOrder(order)).rejects.toMatchObject({ type: 'request_rejected' });
    expect(await moves(order)).toEqual({ payment: 1, refund: 0, reversal: 0, overReturned: 0 });
  });

  it('a wrong base URL (HTTP 404) is not an answer', async () => {
    const lost = createPayjsAdapter({ ...sb.config.providers.payjs!, baseUrl: `${sb.sandbox.url}/nowhere` });
    const order = await make('paid');
    expect(await lost.queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'unreadable' });
    await expect(lost.refundOrder(order, full(order))).rejects.toMatchObject({ type: 'untrusted_response' });
  });
});

describe('faults on check', () => {
  it.each([
    ['http_500', 'transient'],
    ['timeout', 'transient'],
    ['reset', 'transient'],
    ['rate_limit', 'rate_limited'],
    ['applied_response_lost', 'transient'],
  ])('%s is thrown as %s, and the next check answers', async (kind, type) => {
    const order = await make('paid');
    await fault('query', kind, { holdMs: 1_500 });
    await expect(adapter().queryOrder(order)).rejects.toMatchObject({ type });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid' });
  });

  it.each([
    ['bad_signature', 'sign'],
    ['in_progress', 'return_code=0'],
  ])('%s is an unknown observation, never paid', async (kind, providerCode) => {
    const order = await make('paid');
    await fault('query', kind);
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode });
  });
});

interface WriteCase {
  start: string;
  payType?: string;
  run: (a: ProviderAdapter, o: OrderRef) => Promise<{ result: string }>;
  /** Order state once the call was applied. */
  applied: string;
  /** What a retry answers after the first attempt was applied, and after it was not. */
  afterApplied: string;
  afterNothing: string;
  /** Money movements once the call has been applied (exactly once, however often retried). */
  money: { payment: number; refund: number; reversal: number };
}
const WRITES: Record<'close' | 'reverse' | 'refund', WriteCase> = {
  close: { start: 'unpaid', run: (a, o) => a.closeOrder(o), applied: 'closed', afterApplied: 'done', afterNothing: 'done', money: { payment: 0, refund: 0, reversal: 0 } },
  reverse: { start: 'paid', payType: 'micropay', run: (a, o) => a.reverseOrder(o), applied: 'reversed', afterApplied: 'done', afterNothing: 'done', money: { payment: 1, refund: 0, reversal: 1 } },
  refund: { start: 'paid', run: (a, o) => a.refundOrder(o, full(o)), applied: 'refunded', afterApplied: 'already', afterNothing: 'succeeded', money: { payment: 1, refund: 1, reversal: 0 } },
};
const KINDS: [kind: string, type: string, applied: boolean][] = [
  ['http_500', 'transient', false],
  ['timeout', 'transient', false],
  ['reset', 'transient', false],
  ['rate_limit', 'rate_limited', false],
  ['in_progress', 'in_progress', false],
  ['bad_signature', 'untrusted_response', true],
  ['applied_response_lost', 'transient', true],
];

describe.each(Object.keys(WRITES) as (keyof typeof WRITES)[])('faults on %s', (call) => {
  const w = WRITES[call];
  it.each(KINDS)('%s is thrown as %s; the retry settles it and money moves at most once', async (kind, type, applied) => {
    const order = await make(w.start, w.payType ? { payType: w.payType } : {});
    await fault(call, kind, { holdMs: 1_500 });
    await expect(w.run(adapter(), order)).rejects.toMatchObject({ type });
    expect(await stateOf(order)).toBe(applied ? w.applied : w.start);
    expect(await w.run(adapter(), order)).toMatchObject({ result: applied ? w.afterApplied : w.afterNothing });
    expect(await w.run(adapter(), order)).toMatchObject({ result: w.afterApplied });
    expect(await moves(order)).toEqual({ ...w.money, overReturned: 0 });
  });
});

describe('notifications over HTTP', () => {
  it('the sandbox POSTs a form that verifies; a 200 "success" acknowledges it', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(PAYJS_NOTICE_ACK.status, { 'content-type': PAYJS_NOTICE_ACK.contentType! }).end(PAYJS_NOTICE_ACK.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      await sb.admin('PUT', '/notify-url', { url: `http://127.0.0.1:${port}/notify/{provider}` });
      const order = await make('unpaid');
      await sb.admin('POST', `/orders/payjs/${order.orderId}/pay`);
      while (received.length === 0) await new Promise((r) => setTimeout(r, 20));
      expect(verifyPayjsNotification(sb.config.providers.payjs!, received[0]!)).toEqual({
        ok: true,
        notice: { provider: 'payjs', merchantId: order.merchantId, orderId: order.orderId, providerOrderId: order.providerOrderId, event: 'paid' },
      });
      let deliveries: { orderId: string; acknowledged: boolean }[] = [];
      while (!deliveries.some((d) => d.orderId === order.orderId && d.acknowledged)) {
        deliveries = (await sb.admin('GET', '/notifications')).deliveries;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(deliveries.filter((d) => d.orderId === order.orderId)).toHaveLength(1);
    } finally {
      await sb.admin('PUT', '/notify-url', { url: null });
      server.close();
    }
  });
});
