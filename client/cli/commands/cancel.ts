/** `rescind cancel`: start (or reach) the cancellation of one order; with --wait, follow its stage live. */
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { describeOutcome, isProviderId, type ProviderId } from '../../../domain/index.js';
import { clock } from '../../format.js';
import { defaultMerchant } from '../../../activities/providers/index.js';
import { CancellationConflictError, getCancellationById, startCancellation, type StartResult } from '../../library.js';
import { parseWholeNumber } from '../../duration.js';
import { parseCancellationRequest, RequestError, type FieldError } from '../../request.js';
import { EXIT, EXIT_CODES_HELP, print, wholeNumberOption, withConfig } from '../shared.js';

/** The request field each option fills, so errors name the option the user typed. */
const OPTION_OF: Record<string, string> = {
  'order.provider': '--provider',
  'order.merchantId': '--merchant',
  'order.orderId': '--order',
  'order.providerOrderId': '--provider-order-id',
  'order.amount': '--amount',
  'order.currency': '--currency',
  'order.payType': '--pay-type',
  'order.createdAt': '--created-at',
  reason: '--reason',
  requestedBy: '--requested-by',
};
const asOptions = (fields: FieldError[]): FieldError[] =>
  fields.map((f) => ({
    ...f,
    field: OPTION_OF[f.field] ?? (f.field.startsWith('cadence') ? `--cadence (${f.field})` : f.field),
  }));

const CANCEL_HELP = `
Examples:
  rescind cancel --provider qfpay --merchant ZaMVg12345 --order A123 --amount 1000 --pay-type 800201 --wait
  rescind cancel --provider payjs --order A124 --provider-order-id 2019... --amount 500 --json
${EXIT_CODES_HELP}`;

interface CancelOptions {
  provider?: string;
  merchant?: string;
  order?: string;
  providerOrderId?: string;
  amount?: string;
  currency?: string;
  payType?: string;
  createdAt?: string;
  reason: string;
  requestedBy: string;
  cadence?: string;
  wait?: boolean;
  timeout: number;
  json?: boolean;
}

export function registerCancelCommand(program: Command): void {
  program
    .command('cancel')
    .description(
      'cancel one order: query first, reverse only as a last resort, refund if paid (one cancellation per order: asking again reaches the same one)',
    )
    .option('--provider <id>', 'payjs | qfpay | wechatpay | pingpp (required)')
    .option(
      '--merchant <id>',
      'PAYJS mchid, QFPay mchid, WeChat Pay sub_mchid or Ping++ app id (default: the configured PAYJS_MCHID / QFPAY_MCHID / PINGPP_APP_ID)',
    )
    .option('--order <id>', "the merchant's order number, out_trade_no / order_no (required)")
    .option(
      '--provider-order-id <id>',
      "the provider's id: payjs_order_id, QFPay syssn, WeChat transaction_id, Ping++ ch_ id (required for payjs and pingpp)",
    )
    .option('--amount <minor-units>', 'order amount in minor units (fen / cents), a whole number > 0')
    .option('--currency <code>', 'ISO currency code, e.g. CNY, HKD')
    .option(
      '--pay-type <type>',
      'QFPay pay_type, WeChat trade_type, Ping++ channel, PAYJS native | micropay (decides close vs reverse)',
    )
    .option('--created-at <iso-time>', 'when the order was created at the provider; reversal windows count from it')
    .option('--reason <text>', 'why, for the audit trail', 'cancelled from the CLI')
    .option(
      '--requested-by <name>',
      'who asks, for the audit trail',
      `rescind cli${process.env.USER ? ` (${process.env.USER})` : ''}`,
    )
    .option(
      '--cadence <json>',
      'override the provider timing in ms, e.g. \'{"confirmDelayMs":1000}\' (keys: unknownRetryDelayMs, unknownRetryMaxDelayMs, confirmDelayMs, payingPollIntervalMs, payingPollBudgetMs, refundPollMs)',
    )
    .option('--wait', 'follow the stage live until the outcome, a review, or --timeout')
    .option(
      '--timeout <seconds>',
      'with --wait: stop waiting after this many seconds, 1–86400 (exit 4; the cancellation goes on)',
      wholeNumberOption('--timeout', { min: 1, max: 86_400 }),
      600,
    )
    .option('--json', 'print the result as JSON on stdout (with --wait, the live stages go to stderr)')
    .addHelpText('after', CANCEL_HELP)
    .action(async (o: CancelOptions) =>
      withConfig(async (config, connect) => {
        let cadence: unknown;
        if (o.cadence !== undefined) {
          try {
            cadence = JSON.parse(o.cadence);
          } catch {
            throw new RequestError([
              { field: '--cadence', message: 'must be a JSON object, e.g. {"confirmDelayMs":1000}' },
            ]);
          }
        }
        // Whole decimal minor units only: Number() would read "1e3" as 1000 and "0x10" as 16.
        const amountProblems: FieldError[] = [];
        let amount: number | undefined;
        if (o.amount !== undefined) {
          try {
            amount = parseWholeNumber(o.amount, '--amount');
          } catch (err) {
            if (!(err instanceof RequestError)) throw err;
            amountProblems.push(...err.fields);
          }
        }
        const provider = o.provider as ProviderId | undefined;
        const request = {
          order: {
            provider,
            // An unknown provider has no default merchant; the request check names the provider.
            merchantId: o.merchant ?? (isProviderId(provider) ? defaultMerchant(provider) : undefined),
            orderId: o.order,
            providerOrderId: o.providerOrderId,
            amount,
            currency: o.currency,
            payType: o.payType,
            createdAt: o.createdAt,
          },
          reason: o.reason,
          requestedBy: o.requestedBy,
          cadence,
        };
        let valid;
        try {
          valid = parseCancellationRequest(request);
        } catch (err) {
          throw err instanceof RequestError ? new RequestError([...amountProblems, ...asOptions(err.fields)]) : err;
        }
        if (amountProblems.length > 0) throw new RequestError(amountProblems);
        const client = await connect();
        let started: StartResult;
        try {
          started = await startCancellation(client, config, valid);
        } catch (err) {
          // Name the options that contradict the existing cancellation, as for any other bad input.
          if (err instanceof CancellationConflictError)
            throw new CancellationConflictError(err.workflowId, err.running, err.requested, asOptions(err.fields));
          throw err;
        }
        if (!o.wait) {
          print(
            o,
            started,
            () =>
              `${started.started ? 'started' : 'already exists (nothing new started)'}: ${started.workflowId}\nfollow it with: rescind status ${started.workflowId.split(':').slice(1).join(' ')}`,
          );
          return EXIT.ok;
        }
        return follow(client, started, o);
      }),
    );
}

/** Poll the run and print each change of stage or details until it ends, needs review, or times out. */
async function follow(client: Client, started: StartResult, o: CancelOptions): Promise<number> {
  const live = (line: string) => (o.json ? console.error(line) : console.log(line));
  live(`${started.started ? 'started' : 'following the existing'} ${started.workflowId}`);
  const deadline = Date.now() + o.timeout * 1000;
  let last = '';
  for (;;) {
    const view = await getCancellationById(client, started.workflowId);
    if (!view) throw new Error(`${started.workflowId} disappeared`);
    const line = `${view.stage}: ${view.details}`;
    if (line !== last) live(`  ${clock(new Date().toISOString())}  ${line}`);
    last = line;
    const summary = {
      workflowId: view.workflowId,
      runId: view.runId,
      started: started.started,
      status: view.status,
      stage: view.stage,
      outcome: view.outcome,
      review: view.review,
      calls: view.totals?.calls,
    };
    if (view.outcome) {
      print(o, summary, () => `outcome: ${describeOutcome(view.outcome!)}`);
      return view.outcome.kind === 'needs_review' ? EXIT.needsReview : EXIT.ok;
    }
    if (view.status !== 'RUNNING') {
      print(o, summary, () => `the run ended without an outcome: ${view.status}`);
      return EXIT.failure;
    }
    if (view.stage === 'needs_review') {
      const [, provider, merchant, order] = view.workflowId.split(':');
      print(
        o,
        summary,
        () =>
          `needs review: ${view.review?.reason ?? view.details}\nresolve it with: rescind resolve ${provider} ${merchant} ${order} --action retry | --action mark_resolved --note "what was done"`,
      );
      return EXIT.needsReview;
    }
    if (Date.now() >= deadline) {
      print(
        o,
        { ...summary, timedOut: true },
        () =>
          `still ${view.stage} after ${o.timeout} s; it goes on. Follow it with: rescind status ${view.workflowId.split(':').slice(1).join(' ')}`,
      );
      return EXIT.timeout;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
