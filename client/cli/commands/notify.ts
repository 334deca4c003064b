/** `rescind notify`: tell an order's cancellation that the provider reported a payment, so it queries now. */
import type { Command } from 'commander';
import { cancellationWorkflowId } from '../../../domain/index.js';
import { notifyPayment } from '../../library.js';
import { parseNotificationSignal } from '../../request.js';
import { EXIT, EXIT_CODES_HELP, print, withConfig } from '../shared.js';
import { providerArg } from './status.js';

export function registerNotifyCommand(program: Command): void {
  program
    .command('notify')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .argument('<merchant>', 'the merchant id the cancellation was started with')
    .argument('<order>', "the merchant's order number")
    .description("deliver a payment notification to the order's running cancellation: it stops waiting and queries the provider at once (use it when you saw the provider's notification elsewhere)")
    .option('--event <event>', 'paid | refunded | other', 'paid')
    .option('--json', 'print {"delivered": true|false} on stdout')
    .addHelpText('after', `\nExits 1 when no cancellation is running for the order.\n${EXIT_CODES_HELP}`)
    .action(async (provider: string, merchant: string, order: string, o: { event: string; json?: boolean }) =>
      withConfig(async (_config, connect) => {
        const id = providerArg(provider);
        const signal = parseNotificationSignal({ provider: id, event: o.event, receivedAt: new Date().toISOString() });
        const delivered = await notifyPayment(await connect(), cancellationWorkflowId(id, merchant, order), signal);
        print(o, { delivered }, () => (delivered ? 'delivered: the cancellation queries the provider now' : 'no running cancellation for this order'));
        return delivered ? EXIT.ok : EXIT.failure;
      }),
    );
}
