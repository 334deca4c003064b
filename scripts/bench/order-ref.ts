/** The order a payment-timeout handler would hold for a sandbox order, from the sandbox admin API's JSON. */
import type { OrderRef, ProviderId } from '../../domain/index.js';

export interface SandboxOrderJson {
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  providerOrderId?: string;
  amount: number;
  currency?: string;
  payType?: string;
  createdAt?: string;
}

export const orderRefOf = (order: SandboxOrderJson): OrderRef => ({
  provider: order.provider,
  merchantId: order.merchantId,
  orderId: order.orderId,
  providerOrderId: order.providerOrderId,
  amount: order.amount,
  currency: order.currency,
  payType: order.payType,
  createdAt: order.createdAt,
});
