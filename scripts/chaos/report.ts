/** The figures a chaos run prints: orders, outcomes, the chaos applied, the ledger, and the invariants. */
import { OUTCOME_KINDS, PROVIDER_IDS } from '../../domain/index.js';
import { FAULT_KINDS } from '../../sandbox/faults.js';
import { printTable } from '../demo.js';
import type { FaultFigures } from './fault-feeder.js';
import { isFinal, isInReview, moneyByOrder, type InvariantResult, type RunResult } from './invariants.js';
import { START_STATES } from './orders.js';
import type { AdminLedger } from './sandbox-admin.js';

export interface ChaosFigures {
  seed: number;
  orders: number;
  seconds: number;
  faults: FaultFigures;
  workers: number;
  workerKills: number;
  workerStarts: number;
  workerFailedStarts: number;
  workerCrashes: number;
  serverRestarts: number;
  /** With --rollouts: builds made current; flawed builds (one provider's configuration missing) refused for it, made current, never checked. */
  buildsPromoted?: number;
  flawedRefused?: number;
  flawedMadeCurrent?: number;
  flawedUnchecked?: number;
}

export function printReport(
  runs: RunResult[],
  ledger: AdminLedger,
  figures: ChaosFigures,
  invariants: InvariantResult[],
): void {
  section('orders by provider and starting state');
  printTable(
    PROVIDER_IDS.map((provider) => {
      const mine = runs.filter((r) => r.order.plan.provider === provider);
      const row: Record<string, string | number> = { provider };
      for (const state of START_STATES) row[state] = mine.filter((r) => r.order.plan.state === state).length;
      return { ...row, total: mine.length };
    }),
  );

  section('outcomes by provider');
  const endedAs = (r: RunResult, kind: string) => isFinal(r) && r.outcome!.kind === kind;
  const kinds = OUTCOME_KINDS.filter((k) => k !== 'needs_review' && runs.some((r) => endedAs(r, k)));
  printTable(
    PROVIDER_IDS.map((provider) => {
      const mine = runs.filter((r) => r.order.plan.provider === provider);
      const row: Record<string, string | number> = { provider };
      for (const kind of kinds) row[kind] = mine.filter((r) => endedAs(r, kind)).length;
      row.in_review = mine.filter(isInReview).length;
      row.open = mine.filter((r) => !isFinal(r) && !isInReview(r)).length;
      return row;
    }),
  );

  const reasons = new Map<string, number>();
  for (const r of runs.filter(isInReview)) {
    const reason = (r.reviewReason ?? '(none)').slice(0, 110);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  if (reasons.size > 0) {
    section('review reasons');
    printTable([...reasons].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ count, reason })));
  }

  section('chaos');
  const { faults } = figures;
  const rate = faults.requests > 0 ? ((100 * faults.appliedTotal) / faults.requests).toFixed(1) : '0.0';
  printTable([
    { figure: 'provider requests served', value: faults.requests },
    { figure: 'faults injected (requests faulted)', value: `${faults.appliedTotal} (${rate}%)` },
    ...FAULT_KINDS.map((kind) => ({ figure: `  ${kind}`, value: faults.applied[kind] })),
    { figure: 'worker processes', value: figures.workers },
    { figure: 'worker kills (SIGKILL)', value: figures.workerKills },
    { figure: 'worker starts', value: figures.workerStarts },
    { figure: 'worker starts that failed, tried again', value: figures.workerFailedStarts },
    { figure: 'worker crashes (exit without SIGKILL)', value: figures.workerCrashes },
    { figure: 'Temporal server restarts (after SIGKILL)', value: figures.serverRestarts },
    ...(figures.buildsPromoted === undefined
      ? []
      : [
          { figure: 'builds made current (--rollouts)', value: figures.buildsPromoted },
          { figure: 'builds missing a provider, refused for it', value: figures.flawedRefused ?? 0 },
          { figure: 'builds missing a provider, made current', value: figures.flawedMadeCurrent ?? 0 },
          { figure: 'builds missing a provider, not joined in 90 s', value: figures.flawedUnchecked ?? 0 },
        ]),
    { figure: 'seconds', value: figures.seconds },
  ]);

  section('ledger');
  const money = [...moneyByOrder(ledger).values()];
  const sum = (pick: (m: (typeof money)[number]) => number) => money.reduce((total, m) => total + pick(m), 0);
  const refunds = money.flatMap((m) => m.refunds);
  const held = runs.filter(isInReview).length;
  printTable([
    { figure: 'payments', value: `${sum((m) => m.payments)} (${sum((m) => m.paid)})` },
    { figure: 'refunds in ledger', value: `${refunds.length} (${refunds.reduce((t, f) => t + f.amount, 0)})` },
    { figure: 'reversal returns', value: `${money.filter((m) => m.reversed > 0).length} (${sum((m) => m.reversed)})` },
    { figure: 'orders with more returned than paid', value: ledger.overReturned.length },
    { figure: 'runs waiting for an operator', value: held },
  ]);

  section('invariants');
  printTable(
    invariants.map((i) => ({
      invariant: i.name,
      result: i.violations.length === 0 ? 'ok' : 'BROKEN',
      violations: i.violations.length,
    })),
  );
  for (const i of invariants.filter((x) => x.violations.length > 0)) {
    console.log(`\n${i.name}: ${i.violations.length} violation(s)`);
    for (const v of i.violations.slice(0, 20)) console.log(`  ${v}`);
    if (i.violations.length > 20) console.log(`  ... and ${i.violations.length - 20} more`);
  }
}

function section(title: string): void {
  console.log(`\n== ${title}`);
}
