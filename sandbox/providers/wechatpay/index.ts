/** wechatpay simulator: placeholder until the provider is implemented. */
import { randomBytes } from 'node:crypto';
import type { ProviderSimulator } from '../../simulator.js';

export const wechatpaySimulator: ProviderSimulator = {
  id: 'wechatpay',
  identity: {
    defaultMerchantId: 'sandbox',
    defaultCurrency: 'CNY',
    defaultPayType: 'unknown',
    newProviderOrderId: () => randomBytes(8).toString('hex'),
    newRefundId: () => randomBytes(8).toString('hex'),
  },
  register: () => undefined,
  paymentNotification: (order) => ({ provider: 'wechatpay', orderId: order.orderId, headers: {}, body: '', isAck: () => true }),
  describe: () => ({}),
};
