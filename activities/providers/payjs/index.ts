/**
 * The PAYJS adapter (docs/providers/payjs.md): check, reverse, close and full refund, each one signed POST.
 *
 * OrderRef needs: merchantId = the configured mchid, providerOrderId = payjs_order_id,
 * orderId = out_trade_no (a check answer must repeat it).
 */
import { notSupported, requestRejected } from '../../errors.js';
import { PROVIDER_RULES } from '../../../workflows/rules.js';
import { textRefusal, type ProviderDescriptor } from '../descriptor.js';
import { payjsEnv, type PayjsConfig } from './config.js';
import { PAYJS_NOTICE_ACK, verifyPayjsNotification } from './notification.js';
import type { ProviderAdapter } from '../provider.js';
import type { OrderRef } from '../../../domain/index.js';
import { retriedActivity } from './attempt.js';
import { PayjsClient } from './client.js';
import { mapCancel, mapCheck, mapRefund, type PayjsExpected } from './mapper.js';
import { payjsOrderIdOf } from './order-ref.js';

/** Build the PAYJS adapter. `timeoutMs` bounds each HTTP request. */
export function createPayjsAdapter(config: PayjsConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new PayjsClient(config, options);
  const expect = (order: OrderRef, call: string): PayjsExpected => ({
    mchid: config.mchid,
    payjsOrderId: payjsOrderIdOf(config, order, call),
    orderId: order.orderId,
  });

  return {
    id: 'payjs',
    async queryOrder(order, signal) {
      const e = expect(order, 'check');
      return mapCheck(await client.send('check', e, signal), e);
    },
    async closeOrder(order, signal) {
      const e = expect(order, 'close');
      return mapCancel('close', await client.send('close', e, signal), e);
    },
    async reverseOrder(order, signal) {
      const e = expect(order, 'reverse');
      return mapCancel('reverse', await client.send('reverse', e, signal), e);
    },
    async refundOrder(order, refund, signal) {
      const e = expect(order, 'refund');
      // PAYJS refunds the whole order and takes no amount (§3.4): anything less must not be sent.
      const total = order.amount ?? refund.totalAmount;
      if (refund.amount !== refund.totalAmount || refund.amount !== total) {
        throw requestRejected(
          'payjs',
          'refund',
          `PAYJS refunds whole orders only: asked for ${refund.amount} of ${total}`,
        );
      }
      // No refund key exists at PAYJS. The call is its own look-before-write: a repeat answers
      // `refund: "1"` and moves nothing, because a refunded order cannot be refunded again. On a
      // retry that answer may be our own lost refund; on a first attempt it was refunded before us.
      return mapRefund(await client.send('refund', e, signal), e, retriedActivity());
    },
    // PAYJS has no refund query, and check cannot show refunds: a refund's result is the
    // verified answer of the refund call itself (repeat it: full-only makes that safe).
    async queryRefund() {
      throw notSupported('payjs', 'queryRefund');
    },
  };
}

export { PAYJS_NOTICE_ACK, verifyPayjsNotification } from './notification.js';

/** Payjs as the rest of Rescind sees it (docs/adding-a-provider.md). */
export const payjsProvider: ProviderDescriptor<'payjs', PayjsConfig> = {
  id: 'payjs',
  env: payjsEnv,
  createAdapter: createPayjsAdapter,
  notifications: {
    contentType: 'application/x-www-form-urlencoded',
    verify: verifyPayjsNotification,
    ack: PAYJS_NOTICE_ACK,
    // PAYJS retries anything but HTTP 200.
    refuse: textRefusal('fail'),
  },
  providerOrderIdRequired:
    'providerOrderId is required for payjs (its payjs_order_id): PAYJS queries orders only by it',
  defaultMerchant: (config) => config.mchid,
  rules: PROVIDER_RULES.payjs,
};
