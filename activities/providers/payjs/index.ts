/** Payjs adapter: placeholder until the provider is implemented. */
import { notSupported } from '../../errors.js';
import type { PayjsConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';

export function createPayjsAdapter(_config: PayjsConfig): ProviderAdapter {
  const fail = async (): Promise<never> => {
    throw notSupported('payjs', 'any call');
  };
  return { id: 'payjs', queryOrder: fail, closeOrder: fail, reverseOrder: fail, refundOrder: fail, queryRefund: fail };
}
