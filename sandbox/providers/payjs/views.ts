/**
 * How PAYJS writes an order: its ids, Beijing-time timestamps and the check answer (docs/providers/payjs.md §3.1,
 * real-traffic shapes from §0 S-fish: unpaid answers carry "0" for transaction_id and paid_time).
 */
import { randomInt } from 'node:crypto';
import type { SandboxOrder } from '../../store.js';
import { payjsSandboxSettings } from './settings.js';

const digits = (n: number): string => Array.from({ length: n }, () => randomInt(10)).join('');
const beijing = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString();

/** "YYYY-MM-DD HH:MM:SS", Beijing time (§8 Q6). */
export const payjsTime = (d: Date): string => beijing(d).replace('T', ' ').slice(0, 19);

/** 25 digits, a Beijing timestamp then random digits, like 2019043012232600733973651. */
export const newPayjsOrderId = (): string => `${beijing(new Date()).replace(/\D/g, '').slice(0, 14)}${digits(11)}`;

/** PAYJS shows no refund id; the store wants one, so it is internal only. */
export const newPayjsRefundId = (): string => `RF${beijing(new Date()).replace(/\D/g, '').slice(0, 14)}${digits(8)}`;

/** The WeChat transaction id an order gets when paid, kept so every answer repeats it. */
export function transactionIdOf(order: SandboxOrder): string {
  order.extra.transactionId ??= `42000${digits(5)}${beijing(order.paidAt ?? new Date())
    .replace(/\D/g, '')
    .slice(0, 8)}${digits(10)}`;
  return String(order.extra.transactionId);
}

/** The payer's openid, fixed per order. */
export function openidOf(order: SandboxOrder): string {
  order.extra.openid ??= `o7LFAw${digits(22)}`;
  return String(order.extra.openid);
}

/** Whether money came in for this order (whatever happened to it afterwards). */
export const wasPaid = (o: SandboxOrder): boolean =>
  o.state === 'paid' ||
  o.state === 'refunded' ||
  o.state === 'partially_refunded' ||
  (o.state === 'reversed' && o.reversedAfterPayment);

/** Whether the money went back: a refund or a reversal of a paid order. */
export const moneyReturned = (o: SandboxOrder): boolean =>
  o.state === 'refunded' || o.state === 'partially_refunded' || (o.state === 'reversed' && o.reversedAfterPayment);

/** The unsigned body of a successful /api/check. `status` knows only 0 and 1. */
export function checkView(order: SandboxOrder): Record<string, string | number> {
  const paid = wasPaid(order);
  const status = paid && !(moneyReturned(order) && payjsSandboxSettings.checkAfterReturn === 'unpaid') ? 1 : 0;
  const body: Record<string, string | number> = {
    return_code: 1,
    mchid: order.merchantId,
    out_trade_no: order.orderId,
    payjs_order_id: order.providerOrderId,
    transaction_id: paid ? transactionIdOf(order) : '0',
    status,
    total_fee: order.amount,
    paid_time: paid && order.paidAt ? payjsTime(order.paidAt) : '0',
  };
  if (paid) body.openid = openidOf(order);
  return body;
}

/** The identifiers PAYJS returns when an order is created (native / micropay answers). */
export const creationView = (order: SandboxOrder): Record<string, unknown> => ({
  mchid: order.merchantId,
  payjs_order_id: order.providerOrderId,
  out_trade_no: order.orderId,
  total_fee: order.amount,
});
