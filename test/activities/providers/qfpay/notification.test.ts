/**
 * QFPay notifications: what the simulator sends verifies with the adapter's verify function on
 * the raw bytes; tampered, re-serialised or foreign ones do not; the acknowledgement is exactly
 * what QFPay accepts, end to end through the sandbox notifier.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QFPAY_NOTICE_ACK, verifyQfpayNotification } from '../../../../activities/providers/qfpay/index.js';
import type { QfpayConfig } from '../../../../activities/providers/qfpay/config.js';
import { qfpayRefundNotification, qfpaySimulator } from '../../../../sandbox/providers/qfpay/index.js';
import { pythonJson, simSignBody } from '../../../../sandbox/providers/qfpay/signing.js';
import { createSandboxOrder } from '../../../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { Q5, QKEY } from './vectors.js';

let sb: TestSandbox;
let config: QfpayConfig;
beforeAll(async () => {
  sb = await startTestSandbox();
  config = sb.config.providers.qfpay!;
});
afterAll(async () => sb.close());

/** A paid sandbox order, as the store holds it. */
const paidOrder = async () => {
  const view = await createSandboxOrder(sb, { provider: 'qfpay', state: 'paid', amount: 1800, payType: '800201' });
  return sb.sandbox.ctx.store.findByOrderId('qfpay', view.orderId)!;
};
const signed = (body: string, key = QKEY) => ({
  'content-type': 'application/json',
  'x-qf-sign': simSignBody(body, key),
});

describe('payment notifications', () => {
  it("the simulator's notification verifies and names the order; its bytes are Python json.dumps", async () => {
    const order = await paidOrder();
    const n = qfpaySimulator.paymentNotification(order, sb.sandbox.ctx);
    expect(verifyQfpayNotification(config, n.body, n.headers)).toEqual({
      ok: true,
      notice: {
        provider: 'qfpay',
        merchantId: undefined,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'paid',
      },
    });
    expect(n.body).toMatch(/^\{"status": "1", "pay_type": "800201", /);
    expect(n.body).toContain('"goods_name": "Rescind \\u6c99\\u7bb1\\u8ba2\\u5355"');
    expect(Buffer.from(n.body).every((b) => b < 0x80)).toBe(true);
    expect(JSON.parse(n.body)).toMatchObject({ txamt: '1800', cancel: '0', respcd: '0000', notify_type: 'payment' });
  });

  it('the documented Q5 body verifies; its compact re-serialisation does not', () => {
    const q5config = { ...config, clientKey: QKEY, mchid: undefined };
    expect(verifyQfpayNotification(q5config, Q5.body, { 'x-qf-sign': Q5.md5 })).toMatchObject({
      ok: true,
      notice: { orderId: Q5.object.out_trade_no, event: 'paid' },
    });
    expect(verifyQfpayNotification(q5config, Q5.body, { 'x-qf-sign': Q5.md5.toLowerCase() })).toMatchObject({
      ok: true,
    });
    expect(verifyQfpayNotification(q5config, JSON.stringify(Q5.object), { 'x-qf-sign': Q5.md5 })).toEqual({
      ok: false,
      reason: 'X-QF-SIGN did not verify',
    });
  });

  it('tampered, unsigned, other-key or re-serialised bodies are refused', async () => {
    const n = qfpaySimulator.paymentNotification(await paidOrder(), sb.sandbox.ctx);
    expect(
      verifyQfpayNotification(config, n.body.replace('"txamt": "1800"', '"txamt": "18000"'), n.headers),
    ).toMatchObject({ ok: false });
    expect(verifyQfpayNotification(config, JSON.stringify(JSON.parse(n.body)), n.headers)).toMatchObject({ ok: false });
    expect(verifyQfpayNotification(config, n.body, {})).toEqual({ ok: false, reason: 'X-QF-SIGN missing' });
    expect(verifyQfpayNotification({ ...config, clientKey: 'F'.repeat(32) }, n.body, n.headers)).toMatchObject({
      ok: false,
    });
    expect(verifyQfpayNotification(config, n.body, { 'x-qf-sign': [n.headers['x-qf-sign']!, 'other'] })).toMatchObject({
      ok: true,
    });
  });

  it('signed but malformed, or for another mchid, is refused; a non-payment type is "other"', () => {
    expect(verifyQfpayNotification(config, 'status=1', signed('status=1'))).toEqual({
      ok: false,
      reason: 'body is not JSON',
    });
    const noOrder = pythonJson({ notify_type: 'payment', status: '1' });
    expect(verifyQfpayNotification(config, noOrder, signed(noOrder))).toMatchObject({ ok: false });
    const foreign = pythonJson({
      notify_type: 'payment',
      status: '1',
      respcd: '0000',
      out_trade_no: 'O1',
      mchid: 'OtherMchid1',
    });
    expect(verifyQfpayNotification(config, foreign, signed(foreign))).toEqual({
      ok: false,
      reason: 'notification is for mchid OtherMchid1, not ours',
    });
    const close = pythonJson({ notify_type: 'close', out_trade_no: 'O1', syssn: 'S1', mchid: config.mchid });
    expect(verifyQfpayNotification(config, close, signed(close))).toMatchObject({
      ok: true,
      notice: { orderId: 'O1', merchantId: config.mchid, event: 'other' },
    });
    const unpaid = pythonJson({ notify_type: 'payment', status: '0', respcd: '1143', out_trade_no: 'O1' });
    expect(verifyQfpayNotification(config, unpaid, signed(unpaid))).toMatchObject({
      ok: true,
      notice: { event: 'other' },
    });
  });
});

describe('refund notifications', () => {
  it('name the original order, not the refund out_trade_no', async () => {
    const order = await paidOrder();
    const refund = sb.sandbox.ctx.store.addRefund(order, 800, { refundKey: `${order.orderId}-RF1` });
    const n = qfpayRefundNotification(order, refund, sb.sandbox.ctx);
    expect(verifyQfpayNotification(config, n.body, n.headers)).toEqual({
      ok: true,
      notice: {
        provider: 'qfpay',
        merchantId: config.mchid,
        orderId: order.orderId,
        providerOrderId: order.providerOrderId,
        event: 'refunded',
      },
    });
  });

  it('without orig_out_trade_no they cannot be routed and are refused', () => {
    const body = pythonJson({ notify_type: 'refund', out_trade_no: 'O1-RF1', syssn: 'R1', respcd: '0000' });
    expect(verifyQfpayNotification(config, body, signed(body))).toEqual({
      ok: false,
      reason: 'refund notification without orig_out_trade_no',
    });
  });
});

describe('acknowledgement', () => {
  it('QFPay stops only on HTTP 200 with the body SUCCESS', async () => {
    const n = qfpaySimulator.paymentNotification(await paidOrder(), sb.sandbox.ctx);
    expect(QFPAY_NOTICE_ACK).toEqual({ status: 200, contentType: 'text/plain', body: 'SUCCESS' });
    expect(n.isAck(QFPAY_NOTICE_ACK.status, QFPAY_NOTICE_ACK.body)).toBe(true);
    expect(n.isAck(200, 'SUCCESS\n')).toBe(true);
    expect(n.isAck(200, 'success')).toBe(false);
    expect(n.isAck(200, 'OK')).toBe(false);
    expect(n.isAck(200, '')).toBe(false);
    expect(n.isAck(201, 'SUCCESS')).toBe(false);
    expect(n.isAck(500, 'SUCCESS')).toBe(false);
  });

  it('end to end: the sandbox delivers, a receiver verifying raw bytes acknowledges, delivery stops', async () => {
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const v = verifyQfpayNotification(config, raw, req.headers);
        received.push(v.ok ? v.notice.orderId : `refused: ${v.reason}`);
        const ack = v.ok ? QFPAY_NOTICE_ACK : { status: 401, contentType: 'text/plain', body: 'FAIL' };
        res.writeHead(ack.status, { 'content-type': ack.contentType ?? 'text/plain' }).end(ack.body);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const local = await startTestSandbox({
      notifyUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify/{provider}`,
      notifyRetryDelaysMs: [0, 50, 50],
    });
    try {
      const order = await createSandboxOrder(local, { provider: 'qfpay', state: 'unpaid', amount: 990 });
      expect(await local.admin('POST', `/orders/qfpay/${order.orderId}/pay`)).toMatchObject({ notification: 'sent' });
      let deliveries: { orderId: string; acknowledged: boolean; attempts: unknown[] }[] = [];
      // Until acknowledged, however long a loaded machine takes (100 polls, about 2 s, could be too few).
      while (!deliveries.some((d) => d.acknowledged)) {
        await new Promise((r) => setTimeout(r, 20));
        deliveries = (await local.admin('GET', '/notifications')).deliveries;
      }
      expect(deliveries).toEqual([
        expect.objectContaining({
          orderId: order.orderId,
          acknowledged: true,
          attempts: [expect.objectContaining({ status: 200 })],
        }),
      ]);
      expect(received).toEqual([order.orderId]);
    } finally {
      await local.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
