/** The WeChat Pay v3 partner-mode adapter: query, close, reverse (codepay), refund and refund query. */
import type { WechatpayConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';
import { WechatpayClient } from './client.js';
import { mapClose, mapQuery, mapRefund, mapRefundQuery, mapReverse } from './mapper.js';

export function createWechatpayAdapter(config: WechatpayConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new WechatpayClient(config, options);
  const sp = config.spMchid;
  const tradePath = (outTradeNo: string) => `/v3/pay/partner/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}`;

  return {
    id: 'wechatpay',
    // Only the merchant order number finds an unpaid order (§5.1).
    queryOrder: async (order, signal) =>
      mapQuery(await client.request('query', 'GET', `${tradePath(order.orderId)}?sp_mchid=${sp}&sub_mchid=${encodeURIComponent(order.merchantId)}`, undefined, signal)),
    closeOrder: async (order, signal) => mapClose(await client.request('close', 'POST', `${tradePath(order.orderId)}/close`, { sp_mchid: sp, sub_mchid: order.merchantId }, signal)),
    reverseOrder: async (order, signal) => mapReverse(await client.request('reverse', 'POST', `${tradePath(order.orderId)}/reverse`, { sp_mchid: sp, sub_mchid: order.merchantId }, signal)),
    // out_refund_no is the idempotency key: the same key never refunds twice (§5.6).
    refundOrder: async (order, refund, signal) =>
      mapRefund(
        await client.request(
          'refund',
          'POST',
          '/v3/refund/domestic/refunds',
          {
            sub_mchid: order.merchantId,
            ...(order.providerOrderId ? { transaction_id: order.providerOrderId } : { out_trade_no: order.orderId }),
            out_refund_no: refund.refundKey,
            reason: refund.reason?.slice(0, 80),
            amount: { refund: refund.amount, total: refund.totalAmount, currency: order.currency ?? 'CNY' },
          },
          signal,
        ),
      ),
    queryRefund: async (order, refundKey, signal) =>
      mapRefundQuery(await client.request('queryRefund', 'GET', `/v3/refund/domestic/refunds/${encodeURIComponent(refundKey)}?sub_mchid=${encodeURIComponent(order.merchantId)}`, undefined, signal)),
  };
}

export { verifyWechatpayNotification, WECHATPAY_NOTICE_ACK } from './notification.js';
