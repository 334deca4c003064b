/**
 * The WeChat Pay adapter's closeOrder and reverseOrder against the sandbox over real HTTP, beyond the
 * shared contract (./contract.test.ts): orders WeChat never saw, the unconfirmed switches, the
 * 7-day window, codepay only, USERPAYING and the documented retry delay.
 */
import type { OrderState } from '../../../../sandbox/store.js';
import { WECHATPAY_IN_PROGRESS_RETRY_MS } from '../../../../activities/providers/wechatpay/mapper.js';
import { wechatpaySandboxSettings as settings } from '../../../../sandbox/providers/wechatpay/index.js';
import type { OrderExtra } from '../contract/spec.js';
import { throwsUntilDone, wechatpaySandbox } from './contract-helpers.js';

const px = wechatpaySandbox();
const adapter = () => px.adapter();
const make = px.make;
const codepay = (state: OrderState, extra: OrderExtra = {}) => px.make(state, { payType: 'MICROPAY', ...extra });
const DAY = 86_400_000;

describe('close (§5.3)', () => {
  it('an order WeChat never saw answers 204 too: only the query can tell', async () => {
    const order = { ...(await make('unpaid')), orderId: 'NOSUCHORDER123' };
    expect(await adapter().closeOrder(order)).toEqual({ result: 'done', providerCode: 'HTTP_204' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'not_found' });
  });

  it('if WeChat refused those instead: closed → already (ORDER_CLOSED), unknown → rejected (ORDER_NOT_EXIST)', async () => {
    settings.closeQuietly = false;
    expect(await adapter().closeOrder(await make('closed'))).toMatchObject({
      result: 'already',
      providerCode: 'ORDER_CLOSED',
    });
    expect(await adapter().closeOrder({ ...(await make('unpaid')), orderId: 'NOSUCHORDER123' })).toMatchObject({
      result: 'rejected',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });

  it('in_progress (202) asks for the same request again after the documented delay', async () => {
    await px.fault('close', 'in_progress');
    await expect(adapter().closeOrder(await make('unpaid'))).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: 'HTTP_202', retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS },
    });
  });
});

describe('reverse (§5.4, codepay)', () => {
  it('if a reversed paid order showed REFUND instead, it reads as a refund of unknown size, never as full', async () => {
    settings.paidReverseShowsAs = 'REFUND';
    const order = await codepay('paid');
    await adapter().reverseOrder(order);
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'refunded', refundedAmount: 0, full: false });
  });

  it('an order WeChat never saw → rejected (ORDER_NOT_EXIST)', async () => {
    expect(await adapter().reverseOrder({ ...(await codepay('unpaid')), orderId: 'NOSUCHORDER123' })).toMatchObject({
      result: 'rejected',
      providerCode: 'ORDER_NOT_EXIST',
    });
  });

  it('past 7 days → rejected REVERSE_EXPIRE, nothing changes', async () => {
    const order = await codepay('paid', { createdAt: new Date(Date.now() - 7 * DAY - 60_000).toISOString() });
    expect(await adapter().reverseOrder(order)).toMatchObject({ result: 'rejected', providerCode: 'REVERSE_EXPIRE' });
    expect(await px.moves(order)).toMatchObject({ reversals: 0 });
    const young = await codepay('unpaid', { createdAt: new Date(Date.now() - 7 * DAY + 60_000).toISOString() });
    expect(await adapter().reverseOrder(young)).toMatchObject({ result: 'done' });
  });

  it('a non-codepay order cannot be reversed: our mistake (INVALID_REQUEST)', async () => {
    await expect(adapter().reverseOrder(await make('unpaid'))).rejects.toMatchObject({
      type: 'request_rejected',
      details: { providerCode: 'INVALID_REQUEST' },
    });
  });

  it('USERPAYING while the payer enters the password, then done: in_progress with the retry delay', async () => {
    const order = await codepay('paying');
    await px.fault('reverse', 'in_progress', { count: 3 });
    const run = await throwsUntilDone('in_progress', () => adapter().reverseOrder(order));
    expect(run).toEqual({ throws: 3, result: { result: 'done', providerCode: 'HTTP_200' } });
    await px.fault('reverse', 'in_progress');
    await expect(adapter().reverseOrder(order)).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: 'USERPAYING', retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS },
    });
  });

  it('USERPAYING is in progress whatever its HTTP status', async () => {
    settings.userpayingStatus = 400;
    await px.fault('reverse', 'in_progress');
    await expect(adapter().reverseOrder(await codepay('paying'))).rejects.toMatchObject({
      type: 'in_progress',
      details: { providerCode: 'USERPAYING' },
    });
  });
});
