/** `rescind status`: where an order's cancellation stands, with its observations and provider calls. */
import type { Command } from 'commander';
import { clock } from '../../format.js';
import { describeOutcome } from '../../../domain/index.js';
import { getCancellation, type CancellationRun, type CancellationView } from '../../library.js';
import { ProviderSchema, RequestError } from '../../request.js';
import { checkIds, EXIT, EXIT_CODES_HELP, print, withConfig } from '../shared.js';

/** Check a provider argument, naming it in the error. */
export function providerArg(value: string) {
  const parsed = ProviderSchema.safeParse(value);
  if (!parsed.success) throw new RequestError([{ field: '<provider>', message: parsed.error.issues[0]!.message }]);
  return parsed.data;
}

/** Earlier runs matter when there are any (e.g. a late payment started a second run): all runs, newest first. */
function runLines(view: CancellationView): string[] {
  if (!view.runs || view.runs.length < 2) return [];
  const line = (r: CancellationRun) =>
    [`  run ${r.runId}`, r.status, r.outcome, r.startedBy && `(${r.startedBy})`].filter(Boolean).join('  ');
  return ['  runs under this workflow id, newest first:', ...view.runs.map(line)];
}

function text(view: CancellationView): string {
  return [
    `${view.workflowId}  ${view.status}  stage ${view.stage}`,
    `  ${view.details}`,
    view.review ? `  in review since ${view.review.since}: ${view.review.reason}` : '',
    view.outcome ? `  outcome: ${describeOutcome(view.outcome)}` : '',
    view.live ? '' : '  (no worker answered the query: observations and calls are not shown)',
    ...view.observations.map(
      (o) => `  ${clock(o.at)} observed ${o.observation.status} (${o.observation.providerCode})`,
    ),
    ...view.calls.map((c) => `  ${clock(c.at)} ${c.call.padEnd(13)}${c.result}`),
    ...runLines(view),
  ]
    .filter(Boolean)
    .join('\n');
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .argument('<merchant>', 'the merchant id the cancellation was started with')
    .argument('<order>', "the merchant's order number")
    .description("show an order's cancellation: stage, outcome, review, observations and provider calls")
    .option('--json', 'print the cancellation as JSON on stdout')
    .addHelpText(
      'after',
      `\nExits 0 when found, 3 when it waits for review, 1 when there is no cancellation for the order, 2 when an argument is not a valid id.\n${EXIT_CODES_HELP}`,
    )
    .action(async (provider: string, merchant: string, order: string, o: { json?: boolean }) =>
      withConfig(async (_config, connect) => {
        const id = providerArg(provider);
        checkIds({ merchant, order });
        const view = await getCancellation(await connect(), id, merchant, order);
        if (!view) {
          print(o, { found: false }, () => `no cancellation for ${provider} merchant ${merchant} order ${order}`);
          return EXIT.failure;
        }
        print(o, view, () => text(view));
        return view.stage === 'needs_review' ? EXIT.needsReview : EXIT.ok;
      }),
    );
}
