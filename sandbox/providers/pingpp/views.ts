/**
 * Ping++ objects built from sandbox orders (docs/providers/pingpp.md §5): Charge, Refund and refund lists, ids of
 * the documented shape (`ch_`/`re_` + 24 characters), Unix-second times, lower-case currency.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SandboxOrder, SandboxRefund } from '../../store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `prefix` + 24 random alphanumerics: 27 characters, as Ping++ ids are (§4). */
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  return prefix + [...bytes].map((b) => ALNUM[b % ALNUM.length]).join('');
}

const unix = (d: Date | undefined): number | null => (d ? Math.floor(d.getTime() / 1000) : null);
/** Digits derived from an id, for the channel-side numbers Ping++ passes through. */
const digits = (seed: string, length: number): string =>
  BigInt(`0x${createHash('sha256').update(seed).digest('hex')}`)
    .toString()
    .slice(0, length);

/** How long a charge stays payable by default (§5.1 time_expire): 1 day; WeChat channels 2 h; upacp 1 h. */
export function payableFor(channel: string): number {
  if (channel.startsWith('wx') || channel === 'cb_wx_pub_scan') return 2 * HOUR;
  if (channel.startsWith('upacp')) return HOUR;
  return DAY;
}

/** When the charge stops being payable. A closed or expired order shows a time well in the past. */
export function expiresAt(order: SandboxOrder): Date {
  const natural = order.createdAt.getTime() + payableFor(order.payType);
  if ((order.state === 'expired' || order.state === 'closed') && order.closedAt)
    return new Date(Math.min(natural, order.closedAt.getTime() - 10 * MINUTE));
  return new Date(natural);
}

const succeededTotal = (order: SandboxOrder): number =>
  order.refunds.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);

export type RefundStatus = 'pending' | 'succeeded' | 'failed';
const wireStatus = (r: SandboxRefund): RefundStatus => (r.status === 'processing' ? 'pending' : r.status);

/** A Refund (§5.2). `asStatus` shows it in another status without changing it (in-progress fault). */
export function refundView(order: SandboxOrder, r: SandboxRefund, asStatus?: RefundStatus): Record<string, unknown> {
  const status = asStatus ?? wireStatus(r);
  const extra = r.extra as {
    description?: string;
    metadata?: Record<string, unknown>;
    failure?: { code: string; message: string };
    funding_source?: string;
  };
  return {
    id: r.refundId,
    object: 'refund',
    order_no: digits(r.refundId, 18),
    amount: r.amount,
    created: unix(r.createdAt),
    succeed: status === 'succeeded',
    status,
    time_succeed: status === 'succeeded' ? unix(r.succeededAt) : null,
    description: extra.description ?? 'refund',
    failure_code: status === 'failed' ? (extra.failure?.code ?? null) : null,
    failure_msg: status === 'failed' ? (extra.failure?.message ?? null) : null,
    metadata: extra.metadata ?? {},
    charge: order.providerOrderId,
    charge_order_no: order.orderId,
    transaction_no: status === 'succeeded' ? `50${digits(r.refundId, 26)}` : null,
    ...(extra.funding_source ? { funding_source: extra.funding_source } : {}),
    extra: {},
  };
}

/** Refunds newest first, as Ping++ lists objects. */
export const refundsNewestFirst = (order: SandboxOrder): SandboxRefund[] => [...order.refunds].reverse();

export function refundList(
  order: SandboxOrder,
  page: SandboxRefund[],
  hasMore: boolean,
  asStatus?: (r: SandboxRefund) => RefundStatus | undefined,
): Record<string, unknown> {
  return {
    object: 'list',
    url: `/v1/charges/${order.providerOrderId}/refunds`,
    has_more: hasMore,
    data: page.map((r) => refundView(order, r, asStatus?.(r))),
  };
}

/** A Charge (§5.1). `livemode` follows the API key (sk_live_ vs sk_test_). */
export function chargeView(order: SandboxOrder, livemode: boolean): Record<string, unknown> {
  const paid = order.paidAt !== undefined;
  const refunds = refundsNewestFirst(order);
  return {
    id: order.providerOrderId,
    object: 'charge',
    created: unix(order.createdAt),
    livemode,
    paid,
    refunded: order.refunds.length > 0,
    reversed: order.state === 'reversed',
    app: order.merchantId,
    channel: order.payType,
    order_no: order.orderId,
    client_ip: '127.0.0.1',
    amount: order.amount,
    amount_settle: order.amount,
    currency: order.currency.toLowerCase(),
    subject: 'Sandbox order',
    body: `Sandbox order ${order.orderId}`,
    extra: {},
    time_paid: unix(order.paidAt),
    time_expire: unix(expiresAt(order)),
    time_settle: null,
    transaction_no: paid ? `42${digits(order.providerOrderId, 26)}` : null,
    refunds: refundList(order, refunds.slice(0, 10), refunds.length > 10),
    amount_refunded: succeededTotal(order),
    failure_code: order.state === 'failed' ? 'channel_returns_fail' : null,
    failure_msg: order.state === 'failed' ? 'The channel reported the payment as failed' : null,
    metadata: {},
    credential: {},
    description: null,
  };
}

/** What Ping++ returned when the charge was created (for the admin API). */
export function creationView(order: SandboxOrder): Record<string, unknown> {
  return {
    id: order.providerOrderId,
    object: 'charge',
    app: order.merchantId,
    channel: order.payType,
    order_no: order.orderId,
    amount: order.amount,
    currency: order.currency.toLowerCase(),
    created: unix(order.createdAt),
    time_expire: unix(new Date(order.createdAt.getTime() + payableFor(order.payType))),
  };
}
