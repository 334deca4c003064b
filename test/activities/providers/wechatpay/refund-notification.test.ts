/**
 * WeChat Pay refund notifications against the sandbox over real HTTP: a refund that settles (at once, or when a query
 * sees it finish) is POSTed as REFUND.SUCCESS exactly once and verifies as "refunded" for the original order; a
 * refund the payer's bank sends back turns ABNORMAL: REFUND.ABNORMAL is notified, the refund query reads it as failed
 * with what the operator must do, and no money moved (docs/providers/wechatpay.md §4, §6.2).
 */
import { REFUND_ABNORMAL_ACTION } from '../../../../activities/providers/wechatpay/codes.js';
import { wechatpayProvider } from '../../../../activities/providers/wechatpay/index.js';
import {
  wechatpayRefundNotification,
  wechatpaySandboxSettings as settings,
} from '../../../../sandbox/providers/wechatpay/index.js';
import {
  firstRefundKey,
  fullRefund,
  useRefundNotificationReceiver,
  type ReceivedNotification,
} from '../../../helpers/refund-notifications.js';
import { useProviderSandbox } from '../contract/provider-sandbox.js';
import { stored, WECHATPAY_ORDERS } from './contract-helpers.js';
import { forgerPrivateKeyPem } from '../../../helpers/forger-key.js';

const px = useProviderSandbox(wechatpayProvider, WECHATPAY_ORDERS);
const receiver = wechatpayProvider.notifications;

const { received, deliveriesOf, acknowledged } = useRefundNotificationReceiver(px, receiver.ack);

const verified = (r: ReceivedNotification) => receiver.verify(px.config, r.body, r.headers);
const eventOf = (r: ReceivedNotification): string => (JSON.parse(r.body) as { event_type: string }).event_type;

describe('REFUND.SUCCESS', () => {
  it('a refund that succeeds at once is notified once; it verifies as refunded for the original order', async () => {
    const order = await px.make('paid');
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'succeeded' });
    const [delivery] = await acknowledged(order, 1);
    const refundId = (await px.view(order)).refunds[0]!.refundId;
    expect(delivery).toMatchObject({ event: 'REFUND.SUCCESS', refundId, attempts: [{ status: 204 }] });
    expect(received.map(eventOf)).toEqual(['REFUND.SUCCESS']);
    expect(verified(received[0]!)).toEqual({
      ok: true,
      notice: {
        provider: 'wechatpay',
        merchantId: order.merchantId,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'refunded',
      },
    });
  });

  it('a processing refund is notified only when a query sees it succeed, and only once', async () => {
    const order = await px.make('paid', { refundProcessingQueries: 2 });
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'accepted' });
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'processing' });
    expect(await deliveriesOf(order)).toEqual([]);
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    await acknowledged(order, 1);
    expect((await deliveriesOf(order)).map((d) => d.event)).toEqual(['REFUND.SUCCESS']);
    expect(verified(received[0]!)).toMatchObject({ ok: true, notice: { orderId: order.orderId, event: 'refunded' } });
  });

  it('a forged or tampered refund notification is refused', async () => {
    const order = await px.make('paid');
    await px.adapter().refundOrder(order, fullRefund(order));
    const ctx = px.sb.sandbox.ctx;
    const sandboxOrder = stored(px, order);
    const genuine = wechatpayRefundNotification(sandboxOrder, sandboxOrder.refunds[0]!, ctx);
    expect(receiver.verify(px.config, genuine.body, genuine.headers)).toMatchObject({
      ok: true,
      notice: { event: 'refunded' },
    });
    const privateKey = forgerPrivateKeyPem();
    const forger = {
      ...ctx,
      credentials: {
        ...ctx.credentials,
        wechatpay: { ...ctx.credentials.wechatpay, platformPrivateKeyPem: privateKey },
      },
    };
    const forged = wechatpayRefundNotification(sandboxOrder, sandboxOrder.refunds[0]!, forger);
    expect(receiver.verify(px.config, forged.body, forged.headers)).toMatchObject({ ok: false });
    expect(receiver.verify(px.config, genuine.body.replace('{', '{ '), genuine.headers)).toMatchObject({ ok: false });
  });
});

describe('REFUND.ABNORMAL (§6.2)', () => {
  afterEach(() => {
    settings.refundsTurnAbnormal = false;
  });

  it('the refund is accepted, bounces, is notified; the query reads failed with the operator action; no money moved', async () => {
    settings.refundsTurnAbnormal = true;
    const order = await px.make('paid');
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({
      result: 'accepted',
      providerCode: 'status=PROCESSING',
    });
    const [delivery] = await acknowledged(order, 1);
    expect(delivery).toMatchObject({ event: 'REFUND.ABNORMAL', attempts: [{ status: 204 }] });
    // Verified, for the original order; it is not a refund that succeeded.
    expect(verified(received[0]!)).toMatchObject({ ok: true, notice: { orderId: order.orderId, event: 'other' } });

    const observed = await px.adapter().queryRefund(order, firstRefundKey(order));
    expect(observed).toMatchObject({ status: 'failed', providerCode: REFUND_ABNORMAL_ACTION, amount: order.amount });
    expect(observed.providerCode).toContain('ABNORMAL');
    expect(observed.providerCode).toContain('merchant platform');
    expect(await px.moves(order)).toMatchObject({ refunds: 0, refunded: 0, returned: 0, overReturned: 0 });
    // The same key asks about the same bounced refund: still ABNORMAL, never a second refund.
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'accepted' });
    expect((await px.view(order)).refunds).toHaveLength(1);
  });
});
