/** `rescind list`: cancellations found through Temporal visibility, filtered by the search attributes. */
import type { Command } from 'commander';
import { listCancellations } from '../../library.js';
import { parseListFilter } from '../../request.js';
import { OUTCOME_KINDS, STAGES } from '../../../domain/index.js';
import { EXIT, EXIT_CODES_HELP, print, wholeNumberOption, withConfig } from '../shared.js';

export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list cancellations, newest first, through Temporal visibility (it lags the runs by a moment)')
    .option('--provider <id>', 'only this provider: payjs | qfpay | wechatpay | pingpp')
    .option('--merchant <id>', 'only this merchant id')
    .option(
      '--stage <stage>',
      `only runs whose RescindStage is this: ${STAGES.join(' | ')} (written where a run rests: waiting, needs_review, done, and the first stage after each)`,
    )
    .option(
      '--outcome <kind>',
      `only this outcome (needs_review also matches runs waiting for review): ${OUTCOME_KINDS.join(' | ')}`,
    )
    .option('--limit <n>', 'at most this many (1–1000)', wholeNumberOption('--limit', { min: 1, max: 1000 }), 50)
    .option('--json', 'print the list as JSON on stdout')
    .addHelpText('after', `\nExample:\n  rescind list --provider wechatpay --stage needs_review\n${EXIT_CODES_HELP}`)
    .action(
      async (o: {
        provider?: string;
        merchant?: string;
        stage?: string;
        outcome?: string;
        limit: number;
        json?: boolean;
      }) =>
        withConfig(async (_config, connect) => {
          const filter = parseListFilter({
            provider: o.provider,
            merchantId: o.merchant,
            stage: o.stage,
            outcome: o.outcome,
            limit: o.limit,
          });
          const rows = await listCancellations(await connect(), filter);
          print(o, rows, () =>
            rows.length === 0
              ? 'no cancellations match'
              : rows
                  .map(
                    (r) =>
                      `${r.startTime.slice(0, 19).replace('T', ' ')}  ${(r.status ?? '').padEnd(10)} ${(r.stage ?? '').padEnd(13)} ${(r.outcome ?? '').padEnd(21)} ${r.workflowId}`,
                  )
                  .join('\n'),
          );
          return EXIT.ok;
        }),
    );
}
