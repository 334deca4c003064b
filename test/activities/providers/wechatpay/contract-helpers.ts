/** Helpers of the WeChat Pay contract tests: the adapter pointed at the sandbox, orders, faults and the ledger. */
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { createWechatpayAdapter } from '../../../../activities/providers/wechatpay/index.js';
import type { WechatClientOptions } from '../../../../activities/providers/wechatpay/client.js';
import type { SandboxOrder } from '../../../../sandbox/store.js';
import type { WechatpayConfig } from '../../../../activities/providers/wechatpay/config.js';
import type { TestSandbox } from '../../../helpers/sandbox.js';

/** The adapter with the sandbox's config (overridable) and a 500 ms request budget. */
export const adapterFor = (sb: TestSandbox, over: Partial<WechatpayConfig> = {}, options: WechatClientOptions = {}): ProviderAdapter =>
  createWechatpayAdapter({ ...sb.config.providers.wechatpay!, ...over }, { timeoutMs: 500, ...options });

/** Create a sandbox order; the OrderRef carries the transaction_id only once the order was paid, as a caller would know it. */
export async function makeOrder(sb: TestSandbox, state: string, extra: Record<string, unknown> = {}): Promise<OrderRef> {
  const o = await sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 4200, payType: 'NATIVE', ...extra });
  return {
    provider: 'wechatpay',
    merchantId: o.merchantId,
    orderId: o.orderId,
    providerOrderId: o.paidAt ? o.providerOrderId : undefined,
    amount: o.amount,
    currency: o.currency,
    payType: o.payType,
    createdAt: o.createdAt,
  };
}

export const fault = (sb: TestSandbox, call: string, kind: string, extra: Record<string, unknown> = {}) => sb.admin('POST', '/faults', { provider: 'wechatpay', call, kind, ...extra });

/** The order as the sandbox holds it (for tests that move its clock-dependent fields). */
export const stored = (sb: TestSandbox, order: OrderRef): SandboxOrder => sb.sandbox.ctx.store.get('wechatpay', order.merchantId, order.orderId)!;

export const stateOf = async (sb: TestSandbox, order: OrderRef): Promise<string> => (await sb.admin('GET', `/orders/wechatpay/${order.orderId}`)).state;

/** Money movements the ledger recorded for this order. */
export async function moves(sb: TestSandbox, order: OrderRef) {
  const { entries, overReturned } = await sb.admin('GET', '/ledger');
  const mine = entries.filter((e: { orderId: string }) => e.orderId === order.orderId);
  const of = (kind: string) => mine.filter((e: { kind: string }) => e.kind === kind);
  const sum = (kind: string) => of(kind).reduce((s: number, e: { amount: number }) => s + e.amount, 0);
  return { paid: sum('payment'), refunds: of('refund').length, refunded: sum('refund'), reversals: of('reversal_return').length, returned: sum('refund') + sum('reversal_return'), overReturned: overReturned.length };
}

/** Call until the adapter stops throwing `type`, counting those throws (bounded). */
export async function throwsUntilDone<T>(type: string, work: () => Promise<T>, limit = 10): Promise<{ throws: number; result: T }> {
  for (let throws = 0; throws < limit; throws += 1) {
    try {
      return { throws, result: await work() };
    } catch (err) {
      if ((err as { type?: string }).type !== type) throw err;
    }
  }
  throw new Error(`still ${type} after ${limit} calls`);
}

/** Hold of the timeout fault: past the adapter's 500 ms budget, short enough to be over before the suite ends. */
export const HOLD_MS = 600;
/** Let a held request finish in the sandbox, so no timer outlives the test. */
export const holdOver = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, HOLD_MS));
