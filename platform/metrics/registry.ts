/**
 * Rescind's own Prometheus metrics: one registry per process, the metric definitions, and the small
 * functions the instrumentation points call. Labels stay bounded: provider, provider call, result
 * class, outcome kind, currency, reconciliation status. Merchant is left out on purpose: PAYJS and
 * QFPay have one merchant per configuration (the label would add nothing), while a WeChat Pay
 * partner may have any number of sub-merchants (per-merchant views belong to visibility,
 * RescindMerchant). Every name starts with rescind_ and carries its unit.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { OutcomeKind, ProviderId } from '../../domain/index.js';

/** What became of one provider call attempt (activities/call-metrics.ts decides). */
export const CALL_RESULTS = ['ok', 'rejected', 'transient', 'untrusted', 'in_progress', 'error'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

/** Whether a provider notification verified on its raw body. */
export const NOTIFICATION_RESULTS = ['verified', 'refused', 'not_configured'] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

/** Every metric of this process; the API's /metrics and the worker's metrics address serve it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

export const providerCallSeconds = new Histogram({
  name: 'rescind_provider_call_duration_seconds',
  help: 'Provider call attempts (one HTTP exchange and its mapping) by provider, call and result: ok, rejected (the provider said no), transient (network, timeout, 5xx, rate limit), untrusted (an answer that did not verify or could not be read), in_progress, error (our mistake: configuration, a request the provider refused as malformed, an unsupported call)',
  labelNames: ['provider', 'call', 'result'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

export const outcomesTotal = new Counter({
  name: 'rescind_outcomes_total',
  help: 'Cancellation runs that ended, by provider and outcome kind (counted when the run completes, never on replay)',
  labelNames: ['provider', 'outcome'] as const,
  registers,
});

export const refundsRequestedTotal = new Counter({
  name: 'rescind_refunds_requested_total',
  help: 'Refunds Rescind asked a provider for (once per refund call, whatever the answer; retries of the same call are not counted again)',
  labelNames: ['provider', 'currency'] as const,
  registers,
});

export const refundsRequestedMinorUnits = new Counter({
  name: 'rescind_refunds_requested_minor_units_total',
  help: 'Amount of the refunds Rescind asked for, in minor units of the currency label',
  labelNames: ['provider', 'currency'] as const,
  registers,
});

export const refundsConfirmedTotal = new Counter({
  name: 'rescind_refunds_confirmed_total',
  help: 'Runs that ended refunded: the provider confirmed the refund',
  labelNames: ['provider', 'currency'] as const,
  registers,
});

export const refundsConfirmedMinorUnits = new Counter({
  name: 'rescind_refunds_confirmed_minor_units_total',
  help: 'Amount the provider confirmed as refunded, in minor units of the currency label',
  labelNames: ['provider', 'currency'] as const,
  registers,
});

export const notificationsTotal = new Counter({
  name: 'rescind_notifications_total',
  help: 'Provider notifications received, by provider and result: verified (signature good), refused (did not verify), not_configured (no credentials to verify it)',
  labelNames: ['provider', 'result'] as const,
  registers,
});

export const reconcileOrdersReadTotal = new Counter({
  name: 'rescind_reconcile_orders_read_total',
  help: 'Pending orders reconciliation read from its order source',
  labelNames: ['provider'] as const,
  registers,
});

export const reconcileOrdersCancelledTotal = new Counter({
  name: 'rescind_reconcile_orders_cancelled_total',
  help: 'Orders reconciliation cancelled and wrote back, by the status written (an outcome kind, needs_review, or cancelling while the run goes on)',
  labelNames: ['provider', 'status'] as const,
  registers,
});

/** Amount labels: ISO codes upper-cased (callers may write cny); unknown when the request had none. */
export const currencyLabel = (currency: string | undefined): string => currency?.toUpperCase() || 'unknown';

/** A run ended: its outcome, and for a refund the amount the provider confirmed. */
export function recordOutcome(
  provider: ProviderId,
  outcome: OutcomeKind,
  refunded?: { amount: number; currency?: string },
): void {
  outcomesTotal.inc({ provider, outcome });
  if (outcome === 'refunded' && refunded) {
    const labels = { provider, currency: currencyLabel(refunded.currency) };
    refundsConfirmedTotal.inc(labels);
    refundsConfirmedMinorUnits.inc(labels, refunded.amount);
  }
}

/** Rescind asked the provider for a refund. */
export function recordRefundRequested(provider: ProviderId, amount: number, currency: string | undefined): void {
  const labels = { provider, currency: currencyLabel(currency) };
  refundsRequestedTotal.inc(labels);
  refundsRequestedMinorUnits.inc(labels, amount);
}
