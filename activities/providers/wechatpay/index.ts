/** Wechatpay adapter: placeholder until the provider is implemented. */
import { notSupported } from '../../errors.js';
import type { WechatpayConfig } from '../../../worker/config.js';
import type { ProviderAdapter } from '../provider.js';

export function createWechatpayAdapter(_config: WechatpayConfig): ProviderAdapter {
  const fail = async (): Promise<never> => {
    throw notSupported('wechatpay', 'any call');
  };
  return { id: 'wechatpay', queryOrder: fail, closeOrder: fail, reverseOrder: fail, refundOrder: fail, queryRefund: fail };
}
