/** Qfpay adapter: placeholder until the provider is implemented. */
import { notSupported } from '../../errors.js';
import type { QfpayConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';

export function createQfpayAdapter(_config: QfpayConfig): ProviderAdapter {
  const fail = async (): Promise<never> => {
    throw notSupported('qfpay', 'any call');
  };
  return { id: 'qfpay', queryOrder: fail, closeOrder: fail, reverseOrder: fail, refundOrder: fail, queryRefund: fail };
}
