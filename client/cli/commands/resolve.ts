/** `rescind resolve`: the operator's answer to a cancellation waiting in needs_review. */
import type { Command } from 'commander';
import { cancellationWorkflowId, describeOutcome } from '../../../domain/index.js';
import { resolveReview } from '../../library.js';
import { parseReviewResolution } from '../../request.js';
import { checkIds, EXIT, EXIT_CODES_HELP, print, withConfig } from '../shared.js';
import { providerArg } from './status.js';

export function registerResolveCommand(program: Command): void {
  program
    .command('resolve')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .argument('<merchant>', 'the merchant id the cancellation was started with')
    .argument('<order>', "the merchant's order number")
    .description('resolve a cancellation waiting in needs_review')
    .option(
      '--action <action>',
      'retry: run the policy again from a fresh query | mark_resolved: close the case by hand (needs --note)',
    )
    .option('--note <text>', 'what was done, for the audit trail (required with mark_resolved)')
    .option('--operator <name>', 'who resolves it', process.env.USER)
    .option('--json', 'print the state after the resolution as JSON on stdout')
    .addHelpText(
      'after',
      `\nExample:\n  rescind resolve wechatpay 1900000109 A123 --action mark_resolved --note "refunded by hand in the merchant portal"\n\nExits 1 when there is no such cancellation or it is not waiting for review.\n${EXIT_CODES_HELP}`,
    )
    .action(
      async (
        provider: string,
        merchant: string,
        order: string,
        o: { action?: string; note?: string; operator?: string; json?: boolean },
      ) =>
        withConfig(async (_config, connect) => {
          const id = providerArg(provider);
          checkIds({ merchant, order });
          const workflowId = cancellationWorkflowId(id, merchant, order);
          const resolution = parseReviewResolution({ action: o.action, note: o.note, operator: o.operator });
          const state = await resolveReview(await connect(), workflowId, resolution);
          const result = { workflowId, stage: state.stage, details: state.details, outcome: state.outcome };
          print(
            o,
            result,
            () =>
              `resolved: now ${state.stage}${state.outcome ? ` (${describeOutcome(state.outcome)})` : `: ${state.details}`}`,
          );
          return EXIT.ok;
        }),
    );
}
