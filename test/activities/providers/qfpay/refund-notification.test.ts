/**
 * QFPay refund notifications against the sandbox over real HTTP (docs/providers/qfpay.md §7): a refund that succeeds
 * (at once, or first answered 1145 and then seen finishing by a query) is POSTed once, notify_type "refund", with the
 * fields QFPay documents for every notification plus the orig_* fields seen in real traffic, signed over the raw
 * Python-style JSON; the descriptor's verifier reads it as "refunded" for the original order and refuses forgeries.
 */
import { qfpayProvider } from '../../../../activities/providers/qfpay/index.js';
import { qfpayRefundNotification } from '../../../../sandbox/providers/qfpay/index.js';
import { simSignBody } from '../../../../sandbox/providers/qfpay/signing.js';
import { firstRefundKey, fullRefund, useRefundNotificationReceiver } from '../../../helpers/refund-notifications.js';
import { useProviderSandbox } from '../contract/provider-sandbox.js';

const px = useProviderSandbox(qfpayProvider, { amount: 2500, payType: '800208', providerOrderIdKnown: 'always' });
const receiver = qfpayProvider.notifications;

const { received, deliveriesOf, acknowledged } = useRefundNotificationReceiver(px, receiver.ack);

describe('refund notifications', () => {
  it('a refund that succeeds at once is notified once with the documented fields; it verifies as refunded', async () => {
    const order = await px.make('paid');
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'succeeded' });
    const [delivery] = await acknowledged(order, 1);
    const refund = (await px.view(order)).refunds[0]!;
    expect(delivery).toMatchObject({ event: 'refund', refundId: refund.refundId, attempts: [{ status: 200 }] });
    expect(received).toHaveLength(1);
    const { body, headers } = received[0]!;
    // Python json.dumps form, as the signature covers the raw bytes (§2.3).
    expect(body).toMatch(/^\{"status": "1", "pay_type": "800208", /);
    expect(JSON.parse(body)).toEqual({
      status: '1',
      pay_type: '800208',
      sysdtm: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      paydtm: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      txcurrcd: 'HKD',
      txdtm: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      txamt: '2500',
      out_trade_no: firstRefundKey(order),
      syssn: refund.refundId,
      orig_syssn: order.providerOrderId,
      orig_out_trade_no: order.orderId,
      cancel: '0',
      respcd: '0000',
      notify_type: 'refund',
      mchid: px.config.mchid,
    });
    expect(receiver.verify(px.config, body, headers)).toEqual({
      ok: true,
      notice: {
        provider: 'qfpay',
        merchantId: px.config.mchid,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'refunded',
      },
    });
  });

  it('a refund first answered 1145 is notified only when a query sees it succeed, and only once', async () => {
    const order = await px.make('paid', { refundProcessingQueries: 3 });
    // 1145, then the same key again: the adapter finds the refund in flight (one query) and calls it accepted.
    expect(
      await px
        .adapter()
        .refundOrder(order, fullRefund(order))
        .catch((err: { type: string }) => err.type),
    ).toBe('in_progress');
    expect(await deliveriesOf(order)).toEqual([]);
    expect(await px.adapter().refundOrder(order, fullRefund(order))).toMatchObject({ result: 'accepted' });
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'processing' });
    expect(await deliveriesOf(order)).toEqual([]);
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    expect(await px.adapter().queryRefund(order, firstRefundKey(order))).toMatchObject({ status: 'succeeded' });
    await acknowledged(order, 1);
    expect((await deliveriesOf(order)).map((d) => d.event)).toEqual(['refund']);
    expect(receiver.verify(px.config, received[0]!.body, received[0]!.headers)).toMatchObject({
      ok: true,
      notice: { orderId: order.orderId, event: 'refunded' },
    });
  });

  it('a forged, tampered or unsigned refund notification is refused', async () => {
    const order = await px.make('paid');
    await px.adapter().refundOrder(order, fullRefund(order));
    const ctx = px.sb.sandbox.ctx;
    const kept = ctx.store.findByOrderId('qfpay', order.orderId)!;
    const genuine = qfpayRefundNotification(kept, kept.refunds[0]!, ctx);
    expect(receiver.verify(px.config, genuine.body, genuine.headers)).toMatchObject({
      ok: true,
      notice: { event: 'refunded' },
    });
    const forger = {
      ...ctx,
      credentials: {
        ...ctx.credentials,
        qfpay: { ...ctx.credentials.qfpay, clientKey: 'FORGED0000000000000000000000000' },
      },
    };
    const forged = qfpayRefundNotification(kept, kept.refunds[0]!, forger);
    expect(receiver.verify(px.config, forged.body, forged.headers)).toEqual({
      ok: false,
      reason: 'X-QF-SIGN did not verify',
    });
    const tampered = genuine.body.replace('"txamt": "2500"', '"txamt": "25000"');
    expect(receiver.verify(px.config, tampered, genuine.headers)).toEqual({
      ok: false,
      reason: 'X-QF-SIGN did not verify',
    });
    expect(receiver.verify(px.config, genuine.body, { 'content-type': 'application/json' })).toEqual({
      ok: false,
      reason: 'X-QF-SIGN missing',
    });
  });

  it('a signed refund notification that is not a success (respcd other than 0000) is not read as refunded', async () => {
    const order = await px.make('paid');
    await px.adapter().refundOrder(order, fullRefund(order));
    const ctx = px.sb.sandbox.ctx;
    const kept = ctx.store.findByOrderId('qfpay', order.orderId)!;
    const genuine = qfpayRefundNotification(kept, kept.refunds[0]!, ctx);
    const failed = genuine.body.replace('"respcd": "0000"', '"respcd": "1205"');
    const headers = { ...genuine.headers, 'x-qf-sign': simSignBody(failed, ctx.credentials.qfpay.clientKey) };
    expect(receiver.verify(px.config, failed, headers)).toMatchObject({
      ok: true,
      notice: { orderId: order.orderId, event: 'other' },
    });
  });
});
