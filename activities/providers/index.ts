/** Builds the adapters for every configured provider. */
import type { ProvidersConfig } from '../../worker/config.js';
import { createPayjsAdapter } from './payjs/index.js';
import { createPingppAdapter } from './pingpp/index.js';
import type { ProviderAdapter } from './provider.js';
import type { ProviderId } from '../../domain/index.js';
import { createQfpayAdapter } from './qfpay/index.js';
import { createWechatpayAdapter } from './wechatpay/index.js';

export function createAdapters(providers: ProvidersConfig): Partial<Record<ProviderId, ProviderAdapter>> {
  const adapters: Partial<Record<ProviderId, ProviderAdapter>> = {};
  if (providers.payjs) adapters.payjs = createPayjsAdapter(providers.payjs);
  if (providers.qfpay) adapters.qfpay = createQfpayAdapter(providers.qfpay);
  if (providers.wechatpay) adapters.wechatpay = createWechatpayAdapter(providers.wechatpay);
  if (providers.pingpp) adapters.pingpp = createPingppAdapter(providers.pingpp);
  return adapters;
}
