/** The QFPay adapter: query, reversal, close, refund and refund query on /trade/v1. */
import type { QfpayConfig } from '../../../worker/config.js';
import { requestRejected } from '../../errors.js';
import type { OrderRef, ProviderAdapter } from '../provider.js';
import { QfpayClient } from './client.js';
import { isDuplicate, mapCancel, mapQuery, mapRefund, mapRefundRow, parseQuery } from './mapper.js';
import { qfpayTime } from './signer.js';

export function createQfpayAdapter(config: QfpayConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new QfpayClient(config, options);
  const lookup = (order: OrderRef) => (order.providerOrderId ? { syssn: order.providerOrderId } : { out_trade_no: order.orderId });

  /** reversal / close must describe the original transaction: amount and time (qfpay.md G4). */
  const original = (order: OrderRef, call: string) => {
    if (order.amount === undefined) throw requestRejected('qfpay', call, 'amount of the original order is required (txamt)');
    if (!order.createdAt) throw requestRejected('qfpay', call, 'createdAt of the original order is required (txdtm)');
    return { ...lookup(order), txamt: String(order.amount), txdtm: qfpayTime(new Date(order.createdAt)) };
  };

  const findRefund = async (refundKey: string, signal?: AbortSignal) => mapRefundRow(parseQuery('queryRefund', await client.call('query', { out_trade_no: refundKey }, signal)), refundKey);

  return {
    id: 'qfpay',
    queryOrder: async (order, signal) => mapQuery(parseQuery('query', await client.call('query', lookup(order), signal)), order),
    reverseOrder: async (order, signal) => mapCancel('reverse', await client.call('reversal', original(order, 'reverse'), signal)),
    closeOrder: async (order, signal) => mapCancel('close', await client.call('close', original(order, 'close'), signal)),
    refundOrder: async (order, refund, signal) => {
      let syssn = order.providerOrderId;
      if (!syssn) {
        // The refund names the original payment's syssn: find it by the merchant order number.
        const found = mapQuery(parseQuery('refund', await client.call('query', { out_trade_no: order.orderId }, signal)), order);
        syssn = found.providerOrderId;
        if (!syssn) throw requestRejected('qfpay', 'refund', 'the payment has no syssn at QFPay: supply providerOrderId');
      }
      const params = { syssn, out_trade_no: refund.refundKey, txamt: String(refund.amount), txdtm: qfpayTime(new Date()) };
      const body = await client.call('refund', params, signal);
      // The refund key is unique per merchant: a duplicate means an earlier attempt landed.
      if (isDuplicate(body)) {
        const existing = await findRefund(refund.refundKey, signal);
        if (existing.status === 'succeeded') return { result: 'already', providerCode: existing.providerCode, refundId: existing.refundId };
        if (existing.status === 'processing') return { result: 'accepted', providerCode: existing.providerCode, refundId: existing.refundId };
      }
      const result = mapRefund(body);
      return result;
    },
    queryRefund: async (_order, refundKey, signal) => findRefund(refundKey, signal),
  };
}

export { QFPAY_NOTICE_ACK, verifyQfpayNotification } from './notification.js';
