/** `rescind reconcile`: cancel every order pending longer than --min-age, now, and print the report. */
import { Option, type Command } from 'commander';
import { minAgeMs, RECONCILE_RANGES } from '../../duration.js';
import { runReconciliationNow } from '../../reconcile.js';
import { durationOption, EXIT, print, wholeNumberOption, withClient } from '../shared.js';

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('run one reconciliation now: find orders pending too long in RESCIND_ORDER_SOURCE and cancel them')
    .option(
      '--min-age <duration>',
      'only orders older than this, 1m–365d, e.g. 15m or 2h (default: RESCIND_RECONCILE_MIN_AGE, 15m)',
      durationOption('--min-age', RECONCILE_RANGES.minAge),
    )
    .option(
      '--batch-size <n>',
      'orders read per batch (1–1000)',
      wholeNumberOption('--batch-size', RECONCILE_RANGES.batchSize),
      50,
    )
    .option(
      '--concurrency <n>',
      'cancellations followed at once (1–100)',
      wholeNumberOption('--concurrency', RECONCILE_RANGES.concurrency),
      5,
    )
    .addOption(
      new Option('--wait <duration>', 'how long to wait for each outcome (0s–1h)')
        .argParser(durationOption('--wait', RECONCILE_RANGES.wait))
        .default(60_000, '60s'),
    )
    .option('--json', 'machine-readable output')
    .action(async (o: { minAge?: number; batchSize: number; concurrency: number; wait: number; json?: boolean }) =>
      withClient(async (client, config) => {
        const report = await runReconciliationNow(client, config, {
          minAgeMs: minAgeMs(o.minAge, config.reconcile.minAge),
          batchSize: o.batchSize,
          concurrency: o.concurrency,
          waitMs: o.wait,
        });
        print(o, report, () =>
          [
            `${report.candidates} candidate orders in ${report.batches} batch(es)`,
            ...Object.entries(report.byOutcome).map(([k, n]) => `  ${k.padEnd(20)} ${n}`),
            ...report.needsReview.map(
              (r) => `  needs review: ${r.provider} ${r.merchantId} ${r.orderId}: ${r.reason ?? ''}`,
            ),
            ...report.errors.map((e) => `  error: ${e.orderId}: ${e.error}`),
          ].join('\n'),
        );
        return report.byOutcome.needs_review ? EXIT.needsReview : EXIT.ok;
      }),
    );
}
