/** The sandbox admin API as the chaos run uses it (orders, faults, ledger, requests), typed once. */
import type { ProviderId } from '../../domain/index.js';
import type { Fault } from '../../sandbox/faults.js';
import type { LedgerEntry, LedgerOrderSummary, OrderState } from '../../sandbox/store.js';

/** One order as `GET /_admin/orders` shows it (the fields the run reads). */
export interface AdminOrder {
  provider: ProviderId;
  merchantId: string;
  orderId: string;
  providerOrderId: string;
  amount: number;
  currency: string;
  payType: string;
  state: OrderState;
  createdAt: string;
  refunds: { refundId: string; refundKey?: string; amount: number; status: string }[];
}

export interface AdminLedger {
  entries: LedgerEntry[];
  orders: LedgerOrderSummary[];
  overReturned: LedgerOrderSummary[];
}

export interface SandboxAdmin {
  call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  orders(): Promise<AdminOrder[]>;
  ledger(): Promise<AdminLedger>;
  faults(): Promise<Fault[]>;
  /** Provider requests served so far (retries and dropped connections included). */
  requestTotal(): Promise<number>;
}

export function sandboxAdmin(sandboxUrl: string): SandboxAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandboxUrl}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    call,
    orders: async () => (await call<{ orders: AdminOrder[] }>('GET', '/orders')).orders,
    ledger: () => call<AdminLedger>('GET', '/ledger'),
    faults: async () => (await call<{ faults: Fault[] }>('GET', '/faults')).faults,
    requestTotal: async () => (await call<{ total: number }>('GET', '/requests')).total,
  };
}
