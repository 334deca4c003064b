/** Pingpp adapter: placeholder until the provider is implemented. */
import { notSupported } from '../../errors.js';
import type { PingppConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';

export function createPingppAdapter(_config: PingppConfig): ProviderAdapter {
  const fail = async (): Promise<never> => {
    throw notSupported('pingpp', 'any call');
  };
  return { id: 'pingpp', queryOrder: fail, closeOrder: fail, reverseOrder: fail, refundOrder: fail, queryRefund: fail };
}
