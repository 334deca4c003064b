/** `rescind notify`: tell an order's cancellation that the provider reported a payment, so it queries now. */
import type { Command } from 'commander';
import { cancellationWorkflowId } from '../../../domain/index.js';
import { deliverPaymentNotification, type NotificationDelivery } from '../../library.js';
import { parseNotificationSignal } from '../../request.js';
import { EXIT, EXIT_CODES_HELP, print, withConfig } from '../shared.js';
import { providerArg } from './status.js';

function text(delivery: NotificationDelivery): string {
  switch (delivery.result) {
    case 'signalled':
      return 'delivered: the cancellation queries the provider now';
    case 'late_payment_run':
      return `the cancellation had ended ${delivery.previousOutcome}: started run ${delivery.runId} to query and refund the late payment`;
    case 'no_cancellation':
      return 'no running cancellation for this order';
    case 'left_alone':
      return `no running cancellation for this order; left alone: ${delivery.reason}`;
  }
}

/** {"delivered": ...}, plus the new run or the reason nothing was delivered. */
function json(delivery: NotificationDelivery): Record<string, unknown> {
  const { result, ...rest } = delivery;
  if (result === 'signalled') return { delivered: true };
  if (result === 'late_payment_run') return { delivered: true, lateRun: rest };
  return { delivered: false, ...rest };
}

export function registerNotifyCommand(program: Command): void {
  program
    .command('notify')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .argument('<merchant>', 'the merchant id the cancellation was started with')
    .argument('<order>', "the merchant's order number")
    .description(
      "deliver a payment notification to the order's running cancellation: it stops waiting and queries the provider " +
        "at once (use it when you saw the provider's notification elsewhere); a payment after the cancellation ended " +
        'without money starts a run that refunds it',
    )
    .option('--event <event>', 'paid | refunded | other', 'paid')
    .option('--json', 'print {"delivered": true|false} on stdout, with the new run or the reason when there is one')
    .addHelpText(
      'after',
      `\nExits 1 when no run received it: no cancellation for the order, or the finished one is left alone.\n` +
        EXIT_CODES_HELP,
    )
    .action(async (provider: string, merchant: string, order: string, o: { event: string; json?: boolean }) =>
      withConfig(async (_config, connect) => {
        const id = providerArg(provider);
        const signal = parseNotificationSignal({ provider: id, event: o.event, receivedAt: new Date().toISOString() });
        const workflowId = cancellationWorkflowId(id, merchant, order);
        const delivery = await deliverPaymentNotification(await connect(), workflowId, signal);
        const delivered = delivery.result === 'signalled' || delivery.result === 'late_payment_run';
        print(o, json(delivery), () => text(delivery));
        return delivered ? EXIT.ok : EXIT.failure;
      }),
    );
}
