/**
 * Ping++ refund webhooks against the sandbox over real HTTP (docs/providers/pingpp.md §3): a refund that succeeds (at
 * once, or first pending and then seen succeeding) is POSTed once as a signed `refund.succeeded` Event whose object
 * is the Refund; the descriptor's verifier reads it as "refunded" for the charge's order. A refund the channel
 * refuses sends nothing; forged, tampered and test-mode (unsigned) webhooks are refused.
 */
import { pingppProvider } from '../../../../activities/providers/pingpp/index.js';
import { pingppSandboxSettings as settings } from '../../../../sandbox/providers/pingpp/index.js';
import { pingppRefundNotification } from '../../../../sandbox/providers/pingpp/notification.js';
import { firstRefundKey, fullRefund, useRefundNotificationReceiver } from '../../../helpers/refund-notifications.js';
import { useProviderSandbox } from '../contract/provider-sandbox.js';
import { forgerPrivateKeyPem } from '../../../helpers/forger-key.js';

const px = useProviderSandbox(pingppProvider, { amount: 2100, payType: 'alipay_qr', providerOrderIdKnown: 'always' });
const receiver = pingppProvider.notifications;

const { received, deliveriesOf, acknowledged } = useRefundNotificationReceiver(px, receiver.ack);

describe('refund.succeeded', () => {
  it('a refund that succeeds at once is notified once; the Event carries the Refund and verifies as refunded', async () => {
    const order = await px.make('paid');
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'succeeded' });
    const [delivery] = await acknowledged(order, 1);
    const refund = (await px.view(order)).refunds[0]!;
    expect(delivery).toMatchObject({
      event: 'refund.succeeded',
      refundId: refund.refundId,
      attempts: [{ status: 200 }],
    });
    expect(received).toHaveLength(1);
    const { body, headers } = received[0]!;
    expect(JSON.parse(body)).toMatchObject({
      object: 'event',
      type: 'refund.succeeded',
      livemode: true,
      data: {
        object: {
          id: refund.refundId,
          object: 'refund',
          status: 'succeeded',
          succeed: true,
          amount: 2100,
          charge: order.providerOrderId,
          charge_order_no: order.orderId,
        },
      },
    });
    expect(receiver.verify(px.config, body, headers)).toEqual({
      ok: true,
      notice: {
        provider: 'pingpp',
        merchantId: order.merchantId,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'refunded',
      },
    });
  });

  it('a pending refund is notified only when a retrieve sees it succeed, and only once', async () => {
    const order = await px.make('paid', { refundProcessingQueries: 2 });
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({
      result: 'accepted',
      providerCode: 'status=pending',
    });
    expect(await deliveriesOf(order)).toEqual([]);
    // The look-before-write list is the first refund query; the retrieve after it sees the refund succeed.
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'accepted' });
    expect(await deliveriesOf(order)).toEqual([]);
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    await acknowledged(order, 1);
    expect((await deliveriesOf(order)).map((d) => d.event)).toEqual(['refund.succeeded']);
  });

  it('a refund the channel refuses sends nothing', async () => {
    settings.refundFailure = { code: 'refund_insufficient_balance', message: 'merchant balance too low' };
    const order = await px.make('paid');
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'rejected' });
    expect(await deliveriesOf(order)).toEqual([]);
  });

  it('a forged, tampered or test-mode (unsigned) refund webhook is refused', async () => {
    const order = await px.make('paid');
    await px.adapter().refundOrder(order, fullRefund(order));
    const ctx = px.sb.sandbox.ctx;
    const kept = ctx.store.findByOrderId('pingpp', order.orderId)!;
    const genuine = pingppRefundNotification(kept, kept.refunds[0]!, ctx);
    expect(receiver.verify(px.config, genuine.body, genuine.headers)).toMatchObject({
      ok: true,
      notice: { event: 'refunded' },
    });
    const privateKey = forgerPrivateKeyPem();
    const forger = {
      ...ctx,
      credentials: { ...ctx.credentials, pingpp: { ...ctx.credentials.pingpp, platformPrivateKeyPem: privateKey } },
    };
    const forged = pingppRefundNotification(kept, kept.refunds[0]!, forger);
    expect(receiver.verify(px.config, forged.body, forged.headers)).toEqual({
      ok: false,
      reason: 'X-Pingplusplus-Signature did not verify',
    });
    expect(
      receiver.verify(px.config, genuine.body.replace('"amount":2100', '"amount":21000'), genuine.headers),
    ).toMatchObject({ ok: false });
    settings.webhookMode = 'test';
    const unsigned = pingppRefundNotification(kept, kept.refunds[0]!, ctx);
    expect(unsigned.headers['x-pingplusplus-signature']).toBe('');
    expect(receiver.verify(px.config, unsigned.body, unsigned.headers)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('missing or empty'),
    });
  });
});
