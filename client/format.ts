/** Human-readable text for runs: used by the CLI and by the summaries a run shows in the Temporal UI. */
import type { CancellationRequest, Outcome } from '../workflows/definitions.js';

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
  return ['| | |', '|---|---|', ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|')} |`)].join('\n');
}

/** An outcome in words, e.g. "refunded 1200 (refund key A1-RF1, SUCCESS)". */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'closed_unpaid':
      return `closed unpaid by ${outcome.via} (${outcome.providerCode})`;
    case 'reversed':
      return `reversed${outcome.moneyReturned ? ', money returned' : ''} (${outcome.providerCode})`;
    case 'refunded':
      return `refunded ${outcome.amount} (refund key ${outcome.refundKey}${outcome.refundId ? `, refund id ${outcome.refundId}` : ''}, ${outcome.providerCode})`;
    case 'already_closed':
      return `already ${outcome.reason} before Rescind acted (${outcome.providerCode})`;
    case 'already_refunded':
      return `already refunded ${outcome.refundedAmount} before Rescind acted (${outcome.providerCode})`;
    case 'not_found':
      return `the provider has no such order (${outcome.providerCode})`;
    case 'needs_review':
      return `needs review: ${outcome.reason}`;
    case 'resolved_by_operator':
      return `resolved by ${outcome.operator ?? 'an operator'}: ${outcome.note} (review was: ${outcome.reviewReason})`;
  }
}

/** "13:02:11" from an ISO time, for compact live output. */
export const clock = (iso: string): string => iso.slice(11, 19);
