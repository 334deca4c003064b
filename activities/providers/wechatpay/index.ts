/**
 * The WeChat Pay API v3 partner-mode adapter (docs/providers/wechatpay.md §5): query, close,
 * reverse (codepay), refund and refund query, signed as the service provider (sp_mchid).
 *
 * OrderRef needs: merchantId = sub_mchid; orderId = out_trade_no; providerOrderId =
 * transaction_id (optional: checked against answers, preferred for refunds, and asked by when the
 * out_trade_no is not found); amount (optional: answers naming another total are not trusted).
 * Which of close or reverse fits a trade type is the workflow's policy; both are offered here.
 */
import { PROVIDER_RULES } from '../../../workflows/rules.js';
import { jsonEventId, type ProviderDescriptor } from '../descriptor.js';
import { wechatpayEnv, type WechatpayConfig } from './config.js';
import { WECHATPAY_NOTICE_ACK, verifyWechatpayNotification } from './notification.js';
import type { ProviderAdapter } from '../provider.js';
import type { Observation } from '../../../domain/index.js';
import { WechatpayClient, type WechatClientOptions } from './client.js';
import { mapCancel, mapQuery, mapRefund, mapRefundQuery, type WechatExpected } from './mapper.js';
import { checkRefundKey, expectedOf, refundAmount, refundReason } from './order-ref.js';

const PARTNER = '/v3/pay/partner/transactions';
const enc = encodeURIComponent;

/** Build the WeChat Pay adapter. `timeoutMs` bounds each HTTP request; `now` is the signing clock. */
export function createWechatpayAdapter(config: WechatpayConfig, options: WechatClientOptions = {}): ProviderAdapter {
  const client = new WechatpayClient(config, options);
  const scope = (e: WechatExpected) => `sp_mchid=${enc(e.spMchid)}&sub_mchid=${enc(e.subMchid)}`;
  const byOutTradeNo = (e: WechatExpected) => `${PARTNER}/out-trade-no/${enc(e.orderId)}`;

  const cancel = async (call: 'close' | 'reverse', e: WechatExpected, signal?: AbortSignal) =>
    mapCancel(
      call,
      await client.send(
        call,
        { method: 'POST', path: `${byOutTradeNo(e)}/${call}`, body: { sp_mchid: e.spMchid, sub_mchid: e.subMchid } },
        signal,
      ),
      e,
    );

  return {
    id: 'wechatpay',
    async queryOrder(order, signal): Promise<Observation> {
      const e = expectedOf(config, order, 'query');
      // Only the out_trade_no finds an unpaid order (§5.1).
      const seen = mapQuery(
        await client.send('query', { method: 'GET', path: `${byOutTradeNo(e)}?${scope(e)}` }, signal),
        e,
      );
      if (seen.status !== 'not_found' || !e.transactionId) return seen;
      // Not found under our out_trade_no, yet we hold a transaction_id: ask by it before concluding.
      return mapQuery(
        await client.send(
          'query',
          { method: 'GET', path: `${PARTNER}/id/${enc(e.transactionId)}?${scope(e)}` },
          signal,
        ),
        e,
      );
    },
    closeOrder: (order, signal) => cancel('close', expectedOf(config, order, 'close'), signal),
    reverseOrder: (order, signal) => cancel('reverse', expectedOf(config, order, 'reverse'), signal),
    async refundOrder(order, refund, signal) {
      const e = expectedOf(config, order, 'refund');
      const refundKey = checkRefundKey(refund.refundKey, 'refund');
      // out_refund_no is the idempotency key: the same key never refunds twice (§5.6).
      const body = {
        sub_mchid: e.subMchid,
        ...(e.transactionId ? { transaction_id: e.transactionId } : { out_trade_no: e.orderId }),
        out_refund_no: refundKey,
        reason: refundReason(refund.reason),
        amount: refundAmount(order, refund),
      };
      return mapRefund(
        await client.send('refund', { method: 'POST', path: '/v3/refund/domestic/refunds', body }, signal),
        { order: e, refundKey, amount: refund.amount },
      );
    },
    async queryRefund(order, refundKey, signal) {
      const e = expectedOf(config, order, 'queryRefund');
      checkRefundKey(refundKey, 'queryRefund');
      const answer = await client.send(
        'queryRefund',
        { method: 'GET', path: `/v3/refund/domestic/refunds/${enc(refundKey)}?sub_mchid=${enc(e.subMchid)}` },
        signal,
      );
      return mapRefundQuery(answer, { order: e, refundKey });
    },
  };
}

export { WECHATPAY_NOTICE_ACK, verifyWechatpayNotification } from './notification.js';

/** WeChat Pay as the rest of Rescind sees it (docs/adding-a-provider.md). */
export const wechatpayProvider: ProviderDescriptor<'wechatpay', WechatpayConfig> = {
  id: 'wechatpay',
  env: wechatpayEnv,
  createAdapter: createWechatpayAdapter,
  notifications: {
    contentType: 'application/json',
    verify: verifyWechatpayNotification,
    eventId: jsonEventId,
    ack: WECHATPAY_NOTICE_ACK,
    // WeChat Pay v3 expects 4xx/5xx with {"code":"FAIL","message":...} on failure.
    refuse: (status, message) => ({
      status,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'FAIL', message }),
    }),
  },
  rules: PROVIDER_RULES.wechatpay,
};
