/**
 * The money invariants of a chaos run, checked against the sandbox ledger: pure functions of the
 * runs' final states, the ledger and the sandbox's orders, so they are tested on their own.
 */
import type { Outcome } from '../../domain/index.js';
import type { ChaosOrder } from './orders.js';
import type { AdminLedger, AdminOrder } from './sandbox-admin.js';

/** How one cancellation stood when the run ended. */
export interface RunResult {
  order: ChaosOrder;
  /** Temporal's status of the latest run: COMPLETED, RUNNING, FAILED, TERMINATED, ... */
  status: string;
  stage?: string;
  outcome?: Outcome;
  reviewReason?: string;
}

export const INVARIANTS = [
  'every run final or in review with a reason',
  'every final outcome matches the ledger',
  'no order refunded more than once',
  'no paid order left unrefunded',
  'no unpaid order refunded',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface InvariantResult {
  name: InvariantName;
  /** One line per order that breaks it; empty when it holds. */
  violations: string[];
}

/** The money one order moved, from the ledger. */
export interface OrderMoney {
  paid: number;
  payments: number;
  refunds: { amount: number; reference: string }[];
  reversed: number;
  returned: number;
}

/** Outcomes that say the order is settled and nothing is held for the customer. */
const SETTLED_KINDS: readonly Outcome['kind'][] = [
  'closed_unpaid',
  'reversed',
  'refunded',
  'already_closed',
  'already_refunded',
  'not_found',
];

export const isFinal = (r: RunResult): boolean => r.status === 'COMPLETED' && r.outcome !== undefined;
export const isInReview = (r: RunResult): boolean => r.status === 'RUNNING' && r.stage === 'needs_review';

const keyOf = (o: { provider: string; merchantId: string; orderId: string }): string =>
  `${o.provider}|${o.merchantId}|${o.orderId}`;

export function moneyByOrder(ledger: AdminLedger): Map<string, OrderMoney> {
  const byOrder = new Map<string, OrderMoney>();
  for (const e of ledger.entries) {
    const key = keyOf(e);
    const m = byOrder.get(key) ?? { paid: 0, payments: 0, refunds: [], reversed: 0, returned: 0 };
    if (e.kind === 'payment') {
      m.paid += e.amount;
      m.payments += 1;
    } else {
      m.returned += e.amount;
      if (e.kind === 'refund') m.refunds.push({ amount: e.amount, reference: e.reference });
      else m.reversed += e.amount;
    }
    byOrder.set(key, m);
  }
  return byOrder;
}

const NO_MONEY: OrderMoney = { paid: 0, payments: 0, refunds: [], reversed: 0, returned: 0 };

export function checkInvariants(
  runs: RunResult[],
  ledger: AdminLedger,
  sandboxOrders: AdminOrder[],
): InvariantResult[] {
  const money = moneyByOrder(ledger);
  const moneyOf = (r: RunResult): OrderMoney => money.get(keyOf(r.order.ref)) ?? NO_MONEY;
  // Refunds the sandbox made when it created an order already refunded: not Rescind's.
  const preexisting = new Set(
    sandboxOrders.flatMap((o) => o.refunds.filter((f) => f.refundKey === 'preexisting').map((f) => f.refundId)),
  );
  const label = (r: RunResult): string =>
    `${r.order.ref.provider} ${r.order.ref.orderId} (started ${r.order.plan.state})`;
  const describeMoney = (m: OrderMoney): string => {
    const refunds = m.refunds.map((f) => f.amount).join('+') || 'none';
    return `ledger paid ${m.paid}, refunds ${refunds}, reversal returns ${m.reversed}`;
  };

  const settledWithReason: string[] = [];
  const outcomeMatches: string[] = [];
  const paidLeft: string[] = [];
  for (const r of runs) {
    const m = moneyOf(r);
    if (isInReview(r)) {
      if (!r.reviewReason?.trim()) settledWithReason.push(`${label(r)}: in review without a reason`);
      continue;
    }
    if (!isFinal(r)) {
      settledWithReason.push(`${label(r)}: ${r.status.toLowerCase()}${r.stage ? `, stage ${r.stage}` : ''}`);
      continue;
    }
    const mismatch = outcomeMismatch(r.outcome!, m, r.order.ref.amount ?? 0, preexisting);
    if (mismatch) outcomeMatches.push(`${label(r)}: outcome ${r.outcome!.kind} but ${mismatch} (${describeMoney(m)})`);
    if (SETTLED_KINDS.includes(r.outcome!.kind) && m.paid - m.returned > 0) {
      const held = m.paid - m.returned;
      paidLeft.push(`${label(r)}: outcome ${r.outcome!.kind} while ${held} is still held (${describeMoney(m)})`);
    }
  }

  const refundedTwice: string[] = [];
  const unpaidRefunded: string[] = [];
  for (const [key, m] of money) {
    const name = key.split('|').join(' ');
    // More back than paid is what a second refund looks like where the provider tells refunds apart by amount only.
    if (m.refunds.length > 1 || m.returned > m.paid) {
      refundedTwice.push(`${name}: ${m.refunds.length} refunds, ${describeMoney(m)}`);
    }
    if (m.paid === 0 && m.returned > 0) {
      unpaidRefunded.push(`${name}: never paid, yet ${m.returned} went back (${describeMoney(m)})`);
    }
  }

  return [
    { name: 'every run final or in review with a reason', violations: settledWithReason },
    { name: 'every final outcome matches the ledger', violations: outcomeMatches },
    { name: 'no order refunded more than once', violations: refundedTwice },
    { name: 'no paid order left unrefunded', violations: paidLeft },
    { name: 'no unpaid order refunded', violations: unpaidRefunded },
  ];
}

/** Why the ledger contradicts the outcome, or undefined when it agrees. */
export function outcomeMismatch(
  outcome: Outcome,
  m: OrderMoney,
  amount: number,
  preexisting: Set<string>,
): string | undefined {
  switch (outcome.kind) {
    case 'refunded': {
      if (m.refunds.length !== 1) return `the ledger has ${m.refunds.length} refunds, not exactly one`;
      if (m.paid !== amount || m.refunds[0]!.amount !== m.paid) return `the refund is not the ${amount} paid`;
      if (m.reversed > 0) return 'a reversal also returned money';
      if (outcome.amount !== m.paid) return `the outcome says ${outcome.amount} was refunded`;
      return undefined;
    }
    case 'already_refunded':
      if (m.paid === 0 || m.returned !== m.paid) return 'the ledger does not show the order paid and fully returned';
      if (m.refunds.some((f) => !preexisting.has(f.reference))) {
        return 'Rescind made a refund although the order was already refunded';
      }
      return undefined;
    case 'reversed':
      if (!outcome.moneyReturned) {
        return m.paid === 0 && m.returned === 0 ? undefined : 'money moved on an order reversed unpaid';
      }
      if (m.paid === 0 || m.reversed !== m.paid || m.refunds.length > 0) {
        return 'the reversal did not return exactly what was paid';
      }
      return undefined;
    case 'closed_unpaid':
    case 'already_closed':
    case 'not_found':
      if (m.paid === 0 && m.returned === 0) return undefined;
      return 'the ledger shows money for an order said to be unpaid';
    case 'needs_review':
    case 'resolved_by_operator':
      return 'no operator acted in a chaos run, so this outcome cannot be final';
  }
}
