/** Helpers of the WeChat Pay contract tests: the sandbox view, an adapter with client options, the stored order. */
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { createWechatpayAdapter, wechatpayProvider } from '../../../../activities/providers/wechatpay/index.js';
import type { WechatClientOptions } from '../../../../activities/providers/wechatpay/client.js';
import type { SandboxOrder } from '../../../../sandbox/store.js';
import type { WechatpayConfig } from '../../../../activities/providers/wechatpay/config.js';
import { ADAPTER_TIMEOUT_MS } from '../contract/outcomes.js';
import { useProviderSandbox, type OrderDefaults, type ProviderSandbox } from '../contract/provider-sandbox.js';

/** Every order: 4200 fen, NATIVE; the OrderRef carries the transaction_id only once the order was paid, as a caller would know it. */
export const WECHATPAY_ORDERS: OrderDefaults = { amount: 4200, payType: 'NATIVE', providerOrderIdKnown: 'once_paid' };

/** A sandbox for this test file, seen as WeChat Pay. */
export const wechatpaySandbox = (): ProviderSandbox<WechatpayConfig> =>
  useProviderSandbox(wechatpayProvider, WECHATPAY_ORDERS);

/** The adapter with the sandbox's config (overridable), client options (a clock) and the contract suite's request budget. */
export const adapterFor = (
  px: ProviderSandbox<WechatpayConfig>,
  over: Partial<WechatpayConfig> = {},
  options: WechatClientOptions = {},
): ProviderAdapter => createWechatpayAdapter({ ...px.config, ...over }, { timeoutMs: ADAPTER_TIMEOUT_MS, ...options });

/** The order as the sandbox holds it (for tests that move its clock-dependent fields). */
export const stored = (px: ProviderSandbox<WechatpayConfig>, order: OrderRef): SandboxOrder =>
  px.sb.sandbox.ctx.store.get('wechatpay', order.merchantId, order.orderId)!;

/** Call until the adapter stops throwing `type`, counting those throws (bounded). */
export async function throwsUntilDone<T>(
  type: string,
  work: () => Promise<T>,
  limit = 10,
): Promise<{ throws: number; result: T }> {
  for (let throws = 0; throws < limit; throws += 1) {
    try {
      return { throws, result: await work() };
    } catch (err) {
      if ((err as { type?: string }).type !== type) throw err;
    }
  }
  throw new Error(`still ${type} after ${limit} calls`);
}
