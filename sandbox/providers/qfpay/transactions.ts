/**
 * What /trade/v1/query finds (docs/providers/qfpay.md §4): payments and refunds of the merchant, picked by
 * syssn or out_trade_no (comma-separated lists) or by a time range, filtered by pay_type and
 * respcd, one page at a time. Without a syssn, only one calendar month is searched: the range's, or
 * the current one (§4.2, setting). A query naming a payment also returns its refund rows (setting).
 */
import type { SandboxCall } from '../../faults.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { expireIfWindowPassed } from './expiry.js';
import { observeQfpayRefund } from './refunds.js';
import { qfpaySandboxSettings as settings } from './settings.js';
import { hkTime, paymentRow, refundOutTradeNo, refundRow } from './views.js';

type Txn = { kind: 'payment'; order: SandboxOrder } | { kind: 'refund'; order: SandboxOrder; refund: SandboxRefund };

const syssnOf = (t: Txn): string => (t.kind === 'payment' ? t.order.providerOrderId : t.refund.refundId);
const outTradeNoOf = (t: Txn): string => (t.kind === 'payment' ? t.order.orderId : refundOutTradeNo(t.refund));
const timeOf = (t: Txn): string => hkTime(t.kind === 'payment' ? t.order.createdAt : t.refund.createdAt);
const list = (v: string | undefined): string[] | undefined =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface TimeRange {
  start: string;
  end: string;
}

/** start_time and end_time: both, well formed, in order, and within one calendar month (§4.2). */
function readRange(p: Record<string, string>): TimeRange | string {
  const { start_time: start, end_time: end } = p;
  if (!start || !end || !TIME.test(start) || !TIME.test(end)) return 'start_time/end_time';
  return start <= end && start.slice(0, 7) === end.slice(0, 7) ? { start, end } : 'start_time/end_time';
}

/** Without a range, QFPay searches the current calendar month (Hong Kong time), unless switched off. */
function defaultWindow(): TimeRange | undefined {
  if (!settings.queryCurrentMonthOnly) return undefined;
  const month = hkTime(settings.now()).slice(0, 7);
  return { start: `${month}-01 00:00:00`, end: `${month}-31 23:59:59` };
}

/** Transactions whose system time (sysdtm) lies in the window: QFPay filters on sysdtm (§4.2). */
const inWindow = (txns: Txn[], w: TimeRange | undefined): Txn[] =>
  w ? txns.filter((t) => timeOf(t) >= w.start && timeOf(t) <= w.end) : txns;

/** The transactions a query names, or why the query is malformed. Pure: nothing is observed. */
export function selectTransactions(ctx: SandboxContext, mchid: string, p: Record<string, string>): Txn[] | string {
  const all: Txn[] = ctx.store
    .list('qfpay')
    .filter((o) => o.merchantId === mchid)
    .flatMap((order) => [
      { kind: 'payment', order } as Txn,
      ...order.refunds.map((refund): Txn => ({ kind: 'refund', order, refund })),
    ]);
  const syssns = list(p.syssn);
  const outs = list(p.out_trade_no);
  const range = p.start_time || p.end_time ? readRange(p) : undefined;
  if (typeof range === 'string') return range;
  let hits: Txn[];
  // A range is ignored when syssn is given (§4.2): a syssn finds its transaction in any month.
  if (syssns) hits = all.filter((t) => syssns.includes(syssnOf(t)) && (!outs || outs.includes(outTradeNoOf(t))));
  else if (outs)
    hits = inWindow(
      all.filter((t) => outs.includes(outTradeNoOf(t))),
      range ?? defaultWindow(),
    );
  else if (range) hits = inWindow(all, range);
  else return 'syssn, out_trade_no or start_time/end_time required';
  if (settings.refundRowsWithPayment && (syssns || outs)) {
    for (const t of [...hits]) {
      if (t.kind !== 'payment') continue;
      for (const refund of t.order.refunds)
        if (!hits.some((h) => h.kind === 'refund' && h.refund === refund))
          hits.push({ kind: 'refund', order: t.order, refund });
    }
  }
  const payTypes = list(p.pay_type);
  return payTypes ? hits.filter((t) => payTypes.includes(t.order.payType)) : hits;
}

/** A query that names only refunds is a refund query, for fault injection. */
export function queryCall(ctx: SandboxContext, mchid: string, p: Record<string, string> | undefined): SandboxCall {
  const hits = p ? selectTransactions(ctx, mchid, p) : [];
  return typeof hits !== 'string' && hits.length > 0 && hits.every((t) => t.kind === 'refund')
    ? 'queryRefund'
    : 'query';
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
      if (t.kind === 'payment') {
        expireIfWindowPassed(ctx, t.order);
        ctx.store.observe(t.order);
      } else observeQfpayRefund(ctx, t.order, t.refund);
    }
  }
  const rows = hits.map((t) =>
    t.kind === 'payment' ? paymentRow(t.order, options.respcd) : refundRow(t.order, t.refund, options.respcd),
  );
  const filtered = p.respcd ? rows.filter((r) => r.respcd === p.respcd) : rows;
  return { data: filtered.slice((page - 1) * size, page * size), page: String(page), page_size: String(size) };
}
