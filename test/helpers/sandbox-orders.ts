/**
 * The sandbox's orders and money ledger as the tests read them over the admin HTTP API, typed once.
 * The shapes are the store's (sandbox/store.ts) with dates as the ISO strings JSON carries.
 */
import type { OrderRef, ProviderId } from '../../domain/index.js';
import type { LedgerEntry, LedgerOrderSummary, OrderState, SandboxRefund } from '../../sandbox/store.js';
import type { TestSandbox } from './sandbox.js';

/** Anything that can call the sandbox admin API (a TestSandbox, or a Stack's `sandbox`). */
export type SandboxAdmin = Pick<TestSandbox, 'admin'>;

export type SandboxRefundView = Omit<SandboxRefund, 'createdAt' | 'succeededAt'> & {
  createdAt: string;
  succeededAt?: string;
};

/** One order as `GET /_admin/orders/:provider/:orderId` shows it. */
export interface SandboxOrderView {
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  providerOrderId: string;
  amount: number;
  currency: string;
  payType: string;
  state: OrderState;
  createdAt: string;
  paidAt?: string;
  /** Money refunded so far (refunds that did not fail). */
  refunded: number;
  reversedAfterPayment: boolean;
  refunds: SandboxRefundView[];
  /** The identifiers the provider would have returned at creation (its simulator's view). */
  providerFields: Record<string, unknown>;
}

/** What `POST /_admin/orders` takes. */
export interface NewSandboxOrder {
  provider: ProviderId;
  state: OrderState;
  amount: number;
  merchantId?: string;
  orderId?: string;
  currency?: string;
  payType?: string;
  createdAt?: string;
  /** For state "paying": how many queries answer paying before the order settles into `thenState`. */
  payingQueries?: number;
  thenState?: 'paid' | 'unpaid';
  refundProcessingQueries?: number;
}

/** `GET /_admin/ledger`: every money movement, per-order totals, and the orders that got back more than they paid. */
export interface LedgerView {
  entries: LedgerEntry[];
  orders: LedgerOrderSummary[];
  overReturned: LedgerOrderSummary[];
}

/** The money the ledger shows for one order, counted and summed by kind. */
export interface MoneyMoves {
  payments: number;
  paid: number;
  refunds: number;
  refunded: number;
  reversals: number;
  /** Refunded plus returned by reversals. */
  returned: number;
  /** Orders anywhere in the sandbox that got back more than they paid (always 0 unless Rescind double-refunds). */
  overReturned: number;
}

export const createSandboxOrder = (sb: SandboxAdmin, input: NewSandboxOrder): Promise<SandboxOrderView> =>
  sb.admin('POST', '/orders', input);

export const sandboxOrder = (sb: SandboxAdmin, provider: ProviderId, orderId: string): Promise<SandboxOrderView> =>
  sb.admin('GET', `/orders/${provider}/${orderId}`);

export const sandboxLedger = (sb: SandboxAdmin): Promise<LedgerView> => sb.admin('GET', '/ledger');

/** The ledger's per-order summary, if the order has moved any money. */
export async function ledgerOf(
  sb: SandboxAdmin,
  provider: ProviderId,
  orderId: string,
): Promise<LedgerOrderSummary | undefined> {
  return (await sandboxLedger(sb)).orders.find((o) => o.provider === provider && o.orderId === orderId);
}

/** Money movements the ledger recorded for this order. */
export async function moneyMoves(sb: SandboxAdmin, order: Pick<OrderRef, 'provider' | 'orderId'>): Promise<MoneyMoves> {
  const { entries, overReturned } = await sandboxLedger(sb);
  const mine = entries.filter((e) => e.provider === order.provider && e.orderId === order.orderId);
  const of = (kind: LedgerEntry['kind']) => mine.filter((e) => e.kind === kind);
  const sum = (kind: LedgerEntry['kind']) => of(kind).reduce((total, e) => total + e.amount, 0);
  return {
    payments: of('payment').length,
    paid: sum('payment'),
    refunds: of('refund').length,
    refunded: sum('refund'),
    reversals: of('reversal_return').length,
    returned: sum('refund') + sum('reversal_return'),
    overReturned: overReturned.length,
  };
}

/** The OrderRef a caller would hold for a sandbox order. */
export function orderRefOf(
  view: SandboxOrderView,
  options: { providerOrderId?: 'always' | 'once_paid' } = {},
): OrderRef {
  const known = options.providerOrderId === 'once_paid' ? view.paidAt !== undefined : true;
  return {
    provider: view.provider,
    merchantId: view.merchantId,
    orderId: view.orderId,
    providerOrderId: known ? view.providerOrderId : undefined,
    amount: view.amount,
    currency: view.currency,
    payType: view.payType,
    createdAt: view.createdAt,
  };
}

/** Provider requests the sandbox has counted for one provider (GET /_admin/requests), across its routes. */
export async function providerRequests(sb: SandboxAdmin, provider: ProviderId): Promise<number> {
  const { routes } = (await sb.admin('GET', '/requests')) as { routes: { route: string; count: number }[] };
  return routes.filter((r) => r.route.includes(`/${provider}/`)).reduce((n, r) => n + r.count, 0);
}
