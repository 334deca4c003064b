/** The PAYJS adapter: check, reverse, close and (full) refund. */
import { notSupported } from '../../errors.js';
import type { PayjsConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';
import { PayjsClient } from './client.js';
import { mapCancel, mapCheck, mapRefund } from './mapper.js';

export function createPayjsAdapter(config: PayjsConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new PayjsClient(config, options);
  return {
    id: 'payjs',
    queryOrder: async (order, signal) => mapCheck(await client.call('check', client.orderIdOf(order, 'check'), signal)),
    closeOrder: async (order, signal) => mapCancel('close', await client.call('close', client.orderIdOf(order, 'close'), signal)),
    reverseOrder: async (order, signal) => mapCancel('reverse', await client.call('reverse', client.orderIdOf(order, 'reverse'), signal)),
    // Full refunds only, and a repeat answers `refund: "1"`: the refund call is its own look-up.
    refundOrder: async (order, _refund, signal) => mapRefund(await client.call('refund', client.orderIdOf(order, 'refund'), signal)),
    // PAYJS has no refund query: a refund's result is the refund call's own verified answer.
    queryRefund: async () => {
      throw notSupported('payjs', 'queryRefund');
    },
  };
}

export { PAYJS_NOTICE_ACK, verifyPayjsNotification } from './notification.js';
