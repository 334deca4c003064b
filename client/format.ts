/** Human-readable text for runs: used by the CLI and by the summaries a run shows in the Temporal UI. */
import type { CancellationRequest } from '../workflows/definitions.js';

/** "1000 minor units CNY": amounts stay in the minor units callers sent; no decimal guessing. */
export function formatAmount(amount: number | undefined, currency: string | undefined): string {
  if (amount === undefined) return 'amount not given';
  return `${amount} minor units${currency ? ` ${currency}` : ''}`;
}

/** One line for the Temporal UI's run list. */
export function runSummary(request: CancellationRequest): string {
  const { order } = request;
  return `Cancel ${order.provider} order ${order.orderId} (${formatAmount(order.amount, order.currency)})`;
}

/** Markdown for the run's details panel in the Temporal UI. Identifiers only: never secrets. */
export function runDetails(request: CancellationRequest): string {
  const { order } = request;
  const rows: [string, string | undefined][] = [
    ['Provider', order.provider],
    ['Merchant', order.merchantId],
    ['Order', order.orderId],
    ['Provider order id', order.providerOrderId],
    ['Amount', order.amount === undefined ? undefined : formatAmount(order.amount, order.currency)],
    ['Pay type', order.payType],
    ['Created at', order.createdAt],
    ['Reason', request.reason],
    ['Requested by', request.requestedBy],
    ['Cadence override', request.cadence ? JSON.stringify(request.cadence) : undefined],
  ];
  return [
    '| | |',
    '|---|---|',
    ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`),
  ].join('\n');
}

/** "13:02:11" from an ISO time, for compact live output. */
export const clock = (iso: string): string => iso.slice(11, 19);

/** 400 → "6m 40s". */
export function span(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}
