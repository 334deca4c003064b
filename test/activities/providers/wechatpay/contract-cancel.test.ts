/** The WeChat Pay adapter's closeOrder and reverseOrder against the sandbox over real HTTP: every state, window and fault. */
import type { OrderRef } from '../../../../domain/index.js';
import { WECHATPAY_IN_PROGRESS_RETRY_MS } from '../../../../activities/providers/wechatpay/mapper.js';
import { resetWechatpaySandboxSettings, wechatpaySandboxSettings as settings } from '../../../../sandbox/providers/wechatpay/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { adapterFor, fault, HOLD_MS, holdOver, makeOrder, moves, stateOf, throwsUntilDone } from './contract-helpers.js';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetWechatpaySandboxSettings();
  await sb.admin('DELETE', '/faults');
});
const adapter = () => adapterFor(sb);
const make = (state: string, extra: Record<string, unknown> = {}) => makeOrder(sb, state, extra);
const codepay = (state: string, extra: Record<string, unknown> = {}) => makeOrder(sb, state, { payType: 'MICROPAY', ...extra });
const DAY = 86_400_000;

describe('close (§5.3)', () => {
  it.each(['unpaid', 'paying', 'failed'])('a %s order: 204, and the query then shows CLOSED', async (state) => {
    const order = await make(state);
    expect(await adapter().closeOrder(order)).toEqual({ result: 'done', providerCode: 'HTTP_204' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'closed' });
  });

  it.each(['closed', 'expired', 'reversed'])('a %s order answers 204 again (confirm by query)', async (state) => {
    const order = await make(state);
    expect(await adapter().closeOrder(order)).toEqual({ result: 'done', providerCode: 'HTTP_204' });
    expect(await stateOf(sb, order)).toBe(state);
  });

  it('an order WeChat never saw answers 204 too: only the query can tell', async () => {
    const order = { ...(await make('unpaid')), orderId: 'NOSUCHORDER123' };
    expect(await adapter().closeOrder(order)).toEqual({ result: 'done', providerCode: 'HTTP_204' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'not_found' });
  });

  it('if WeChat refused those instead: closed → already (ORDER_CLOSED), unknown → rejected (ORDER_NOT_EXIST)', async () => {
    settings.closeQuietly = false;
    expect(await adapter().closeOrder(await make('closed'))).toMatchObject({ result: 'already', providerCode: 'ORDER_CLOSED' });
    expect(await adapter().closeOrder({ ...(await make('unpaid')), orderId: 'NOSUCHORDER123' })).toMatchObject({ result: 'rejected', providerCode: 'ORDER_NOT_EXIST' });
  });

  it.each(['paid', 'refunded', 'partially_refunded'])('a %s order is not closed: rejected ORDER_PAID, nothing moves', async (state) => {
    const order = await make(state);
    const before = await moves(sb, order);
    expect(await adapter().closeOrder(order)).toEqual({ result: 'rejected', providerCode: 'ORDER_PAID', message: '订单已支付' });
    expect(await moves(sb, order)).toEqual(before);
    expect(await stateOf(sb, order)).toBe(state);
  });

  it.each([
    ['http_500', 'transient', 'unpaid'],
    ['reset', 'transient', 'unpaid'],
    ['rate_limit', 'rate_limited', 'unpaid'],
    ['in_progress', 'in_progress', 'unpaid'],
    ['bad_signature', 'untrusted_response', 'closed'],
    ['applied_response_lost', 'transient', 'closed'],
  ])('fault %s is thrown as %s (order then %s), and the retry closes it', async (kind, type, after) => {
    const order = await make('unpaid');
    await fault(sb, 'close', kind);
    await expect(adapter().closeOrder(order)).rejects.toMatchObject({ type });
    expect(await stateOf(sb, order)).toBe(after);
    expect(await adapter().closeOrder(order)).toMatchObject({ result: 'done' });
    expect(await stateOf(sb, order)).toBe('closed');
  });

  it('in_progress (202) asks for the same request again after the documented delay', async () => {
    await fault(sb, 'close', 'in_progress');
    await expect(adapter().closeOrder(await make('unpaid'))).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'HTTP_202', retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS } });
  });

  it('timeout is transient and applies nothing', async () => {
    const order = await make('unpaid');
    await fault(sb, 'close', 'timeout', { holdMs: HOLD_MS });
    await expect(adapter().closeOrder(order)).rejects.toMatchObject({ type: 'transient' });
    await holdOver();
    expect(await stateOf(sb, order)).toBe('unpaid');
  });
});

describe('reverse (§5.4, codepay)', () => {
  it.each(['unpaid', 'paying', 'failed'])('a %s order: done, nothing paid back, the query shows REVOKED', async (state) => {
    const order = await codepay(state);
    expect(await adapter().reverseOrder(order)).toEqual({ result: 'done', providerCode: 'HTTP_200' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: false });
    expect(await moves(sb, order)).toMatchObject({ paid: 0, returned: 0 });
  });

  it('a paid order: the money goes back exactly once, however often it is reversed', async () => {
    const order = await codepay('paid');
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(sb, order)).toEqual({ paid: 4200, refunds: 0, refunded: 0, reversals: 1, returned: 4200, overReturned: 0 });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: true, providerOrderId: order.providerOrderId });
  });

  it('if a reversed paid order showed REFUND instead, it reads as a refund of unknown size, never as full', async () => {
    settings.paidReverseShowsAs = 'REFUND';
    const order = await codepay('paid');
    await adapter().reverseOrder(order);
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 0, full: false });
  });

  it('closed → already (ORDER_CLOSED); refunded → rejected (TRADE_ERROR); unknown → rejected (ORDER_NOT_EXIST)', async () => {
    expect(await adapter().reverseOrder(await codepay('closed'))).toMatchObject({ result: 'already', providerCode: 'ORDER_CLOSED' });
    expect(await adapter().reverseOrder(await codepay('partially_refunded'))).toMatchObject({ result: 'rejected', providerCode: 'TRADE_ERROR' });
    expect(await adapter().reverseOrder({ ...(await codepay('unpaid')), orderId: 'NOSUCHORDER123' })).toMatchObject({ result: 'rejected', providerCode: 'ORDER_NOT_EXIST' });
  });

  it('past 7 days → rejected REVERSE_EXPIRE, nothing changes', async () => {
    const order = await codepay('paid', { createdAt: new Date(Date.now() - 7 * DAY - 60_000).toISOString() });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'rejected', providerCode: 'REVERSE_EXPIRE' });
    expect(await moves(sb, order)).toMatchObject({ reversals: 0 });
    const young = await codepay('unpaid', { createdAt: new Date(Date.now() - 7 * DAY + 60_000).toISOString() });
    expect(await adapter().reverseOrder(young)).toMatchObject({ result: 'done' });
  });

  it('a non-codepay order cannot be reversed: our mistake (INVALID_REQUEST)', async () => {
    await expect(adapter().reverseOrder(await make('unpaid'))).rejects.toMatchObject({ type: 'request_rejected', details: { providerCode: 'INVALID_REQUEST' } });
  });

  it('USERPAYING while the payer enters the password, then done: in_progress with the retry delay', async () => {
    const order = await codepay('paying');
    await fault(sb, 'reverse', 'in_progress', { count: 3 });
    const run = await throwsUntilDone('in_progress', () => adapter().reverseOrder(order));
    expect(run).toEqual({ throws: 3, result: { result: 'done', providerCode: 'HTTP_200' } });
    await fault(sb, 'reverse', 'in_progress');
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'USERPAYING', retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS } });
  });

  it('USERPAYING is in progress whatever its HTTP status', async () => {
    settings.userpayingStatus = 400;
    await fault(sb, 'reverse', 'in_progress');
    await expect(adapter().reverseOrder(await codepay('paying'))).rejects.toMatchObject({ type: 'in_progress', details: { providerCode: 'USERPAYING' } });
  });

  it.each([
    ['http_500', 'transient', 0],
    ['reset', 'transient', 0],
    ['rate_limit', 'rate_limited', 0],
    ['bad_signature', 'untrusted_response', 1],
    ['applied_response_lost', 'transient', 1],
  ])('fault %s on a paid order is thrown as %s; the retry is done and money went back once', async (kind, type, returnedBeforeRetry) => {
    const order = await codepay('paid');
    await fault(sb, 'reverse', kind);
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type });
    expect((await moves(sb, order)).reversals).toBe(returnedBeforeRetry);
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'done' });
    expect(await moves(sb, order)).toMatchObject({ reversals: 1, returned: 4200, overReturned: 0 });
  });

  it('timeout is transient and applies nothing', async () => {
    const order: OrderRef = await codepay('unpaid');
    await fault(sb, 'reverse', 'timeout', { holdMs: HOLD_MS });
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({ type: 'transient' });
    await holdOver();
    expect(await stateOf(sb, order)).toBe('unpaid');
  });
});
