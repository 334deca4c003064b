/**
 * What /trade/v1/query finds (docs/providers/qfpay.md §4): payments and refunds of the merchant, picked by
 * syssn or out_trade_no (comma-separated lists) or by a time range, filtered by pay_type and
 * respcd, one page at a time. A query naming a payment also returns its refund rows (setting).
 */
import type { SandboxCall } from '../../faults.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { hkTime, paymentRow, refundOutTradeNo, refundRow } from './views.js';

type Txn = { kind: 'payment'; order: SandboxOrder } | { kind: 'refund'; order: SandboxOrder; refund: SandboxRefund };

const syssnOf = (t: Txn): string => (t.kind === 'payment' ? t.order.providerOrderId : t.refund.refundId);
const outTradeNoOf = (t: Txn): string => (t.kind === 'payment' ? t.order.orderId : refundOutTradeNo(t.refund));
const timeOf = (t: Txn): string => hkTime(t.kind === 'payment' ? t.order.createdAt : t.refund.createdAt);
const list = (v: string | undefined): string[] | undefined => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The transactions a query names, or why the query is malformed. Pure: nothing is observed. */
export function selectTransactions(ctx: SandboxContext, mchid: string, p: Record<string, string>): Txn[] | string {
  const all: Txn[] = ctx.store
    .list('qfpay')
    .filter((o) => o.merchantId === mchid)
    .flatMap((order) => [{ kind: 'payment', order } as Txn, ...order.refunds.map((refund): Txn => ({ kind: 'refund', order, refund }))]);
  const syssns = list(p.syssn);
  const outs = list(p.out_trade_no);
  let hits: Txn[];
  if (syssns) hits = all.filter((t) => syssns.includes(syssnOf(t)) && (!outs || outs.includes(outTradeNoOf(t))));
  else if (outs) hits = all.filter((t) => outs.includes(outTradeNoOf(t)));
  else if (p.start_time || p.end_time) {
    // A range needs both ends within one calendar month (§4).
    const { start_time: start, end_time: end } = p;
    if (!start || !end || !TIME.test(start) || !TIME.test(end) || start > end || start.slice(0, 7) !== end.slice(0, 7)) return 'start_time/end_time';
    hits = all.filter((t) => timeOf(t) >= start && timeOf(t) <= end);
  } else return 'syssn, out_trade_no or start_time/end_time required';
  if (settings.refundRowsWithPayment && (syssns || outs)) {
    for (const t of [...hits]) {
      if (t.kind !== 'payment') continue;
      for (const refund of t.order.refunds) if (!hits.some((h) => h.kind === 'refund' && h.refund === refund)) hits.push({ kind: 'refund', order: t.order, refund });
    }
  }
  const payTypes = list(p.pay_type);
  return payTypes ? hits.filter((t) => payTypes.includes(t.order.payType)) : hits;
}

/** A query that names only refunds is a refund query, for fault injection. */
export function queryCall(ctx: SandboxContext, mchid: string, p: Record<string, string> | undefined): SandboxCall {
  const hits = p ? selectTransactions(ctx, mchid, p) : [];
  return typeof hits !== 'string' && hits.length > 0 && hits.every((t) => t.kind === 'refund') ? 'queryRefund' : 'query';
}

/**
 * The `data`, `page` and `page_size` of a query answer. With `observe`, each transaction is
 * looked at the way a query looks (a paying order counts down, a processing refund may finish);
 * `respcd` makes every row answer that code instead (the in_progress fault).
 */
export function queryRows(
  ctx: SandboxContext,
  mchid: string,
  p: Record<string, string>,
  options: { observe: boolean; respcd?: string },
): { data: Record<string, string>[]; page: string; page_size: string } | string {
  const page = p.page === undefined ? 1 : Number(p.page);
  const size = p.page_size === undefined ? 10 : Number(p.page_size);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 100) return 'page/page_size';
  const hits = selectTransactions(ctx, mchid, p);
  if (typeof hits === 'string') return hits;
  if (options.observe) {
    for (const t of hits) {
      if (t.kind === 'payment') ctx.store.observe(t.order);
      else ctx.store.observeRefund(t.order, t.refund);
    }
  }
  const rows = hits.map((t) => (t.kind === 'payment' ? paymentRow(t.order, options.respcd) : refundRow(t.order, t.refund, options.respcd)));
  const filtered = p.respcd ? rows.filter((r) => r.respcd === p.respcd) : rows;
  return { data: filtered.slice((page - 1) * size, page * size), page: String(page), page_size: String(size) };
}
