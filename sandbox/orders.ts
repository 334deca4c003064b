/** What the sandbox keeps about an order and its money: states, refunds, ledger entries, new-order input. */
import type { ProviderId } from '../domain/index.js';

export const ORDER_STATES = [
  'unpaid',
  'paying',
  'paid',
  'closed',
  'reversed',
  'refunded',
  'partially_refunded',
  'expired',
  'failed',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export interface SandboxRefund {
  refundId: string;
  /** The merchant's refund key when the provider has one (WeChat out_refund_no, QFPay out_trade_no, Ping++ metadata). */
  refundKey?: string;
  amount: number;
  status: 'processing' | 'succeeded' | 'failed';
  createdAt: Date;
  succeededAt?: Date;
  /** Provider-specific fields kept for responses (e.g. description, metadata). */
  extra: Record<string, unknown>;
}

export interface SandboxOrder {
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  providerOrderId: string;
  amount: number;
  currency: string;
  payType: string;
  state: OrderState;
  createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  /** Set when a reversal sent a paid order's money back (PAYJS reverse, WeChat codepay, Ping++ scan channels). */
  reversedAfterPayment: boolean;
  refunds: SandboxRefund[];
  /** While > 0, queries answer "paying" and count down; at 0 the order becomes `thenState`. */
  payingQueriesLeft: number;
  thenState: 'paid' | 'unpaid';
  /** Refunds stay `processing` until this many refund queries have been answered. */
  refundProcessingQueries: number;
  /** Armed by the admin's pay-after-close: the next accepted close or reverse is followed at once by a payment. */
  payAfterNextClose?: { queryLag: number; landed: (order: SandboxOrder) => void };
  /** A late payment the provider's query does not show yet: this many more queries answer the order as it was. */
  lagging?: { queries: number; shows: OrderState; closedAt?: Date };
  extra: Record<string, unknown>;
}

export interface LedgerEntry {
  seq: number;
  at: string;
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  kind: 'payment' | 'reversal_return' | 'refund';
  amount: number;
  reference: string;
}

export interface LedgerOrderSummary {
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  paid: number;
  returned: number;
  refundCount: number;
  /** True when more money went back than came in: the bug Rescind exists to prevent. */
  overReturned: boolean;
}

export interface NewOrder {
  provider: ProviderId;
  state: OrderState;
  amount: number;
  merchantId?: string;
  orderId?: string;
  providerOrderId?: string;
  currency?: string;
  payType?: string;
  createdAt?: Date;
  payingQueries?: number;
  thenState?: 'paid' | 'unpaid';
  refundProcessingQueries?: number;
  extra?: Record<string, unknown>;
}

/** Per-provider defaults for ids the sandbox invents, so every order looks like the real thing. */
export interface ProviderIdentity {
  defaultMerchantId: string;
  defaultCurrency: string;
  defaultPayType: string;
  newProviderOrderId(): string;
  newRefundId(): string;
}
