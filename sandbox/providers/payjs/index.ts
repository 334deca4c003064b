/** payjs simulator: placeholder until the provider is implemented. */
import { randomBytes } from 'node:crypto';
import type { ProviderSimulator } from '../../simulator.js';

export const payjsSimulator: ProviderSimulator = {
  id: 'payjs',
  identity: {
    defaultMerchantId: 'sandbox',
    defaultCurrency: 'CNY',
    defaultPayType: 'unknown',
    newProviderOrderId: () => randomBytes(8).toString('hex'),
    newRefundId: () => randomBytes(8).toString('hex'),
  },
  register: () => undefined,
  paymentNotification: (order) => ({ provider: 'payjs', orderId: order.orderId, headers: {}, body: '', isAck: () => true }),
  describe: () => ({}),
};
