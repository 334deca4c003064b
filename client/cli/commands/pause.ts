/** `rescind pause` and `rescind resume`: an operator's brake on one provider's calls (client/library/pause.ts). */
import type { Command } from 'commander';
import { pauseProvider, resumeProvider } from '../../library.js';
import { EXIT, EXIT_CODES_HELP, print, withConfig } from '../shared.js';
import { providerArg } from './status.js';

const PAUSE_HELP = `
Every worker stops being handed calls to this provider: Temporal holds its task queue's rate limit
at 0 until rescind resume. Calls already sent finish; the others wait, and so do their runs. No money
moves while paused, and none moves twice after: a call still waiting at its deadline was never sent,
and its run asks the order again before it decides anything. rescind backlog shows who paused, when
and why.

Example:
  rescind pause payjs --reason "PAYJS incident 2026-12-03, their status page"
  rescind resume payjs
${EXIT_CODES_HELP}`;

export function registerPauseCommands(program: Command): void {
  program
    .command('pause')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .description('stop sending calls to one provider, from every worker, until rescind resume (the runs wait)')
    .requiredOption('--reason <text>', 'why, for the operators who see it in rescind backlog (at most 256 bytes)')
    .option('--operator <name>', 'who pauses it', process.env.USER)
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', PAUSE_HELP)
    .action(async (provider: string, o: { reason: string; operator?: string; json?: boolean }) =>
      withConfig(async (config, connect) => {
        const id = providerArg(provider);
        await pauseProvider(await connect(), config.taskQueue, id, { reason: o.reason, operator: o.operator });
        print(o, { provider: id, paused: true }, () => `${id}: paused; rescind resume ${id} sends its calls again`);
        return EXIT.ok;
      }),
    );

  program
    .command('resume')
    .argument('<provider>', 'payjs | qfpay | wechatpay | pingpp')
    .description("send calls to a paused provider again, at the workers' own *_MAX_RPS")
    .option('--reason <text>', 'why, kept with the change', 'resumed')
    .option('--operator <name>', 'who resumes it', process.env.USER)
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', `\nExample:\n  rescind resume payjs\n${EXIT_CODES_HELP}`)
    .action(async (provider: string, o: { reason: string; operator?: string; json?: boolean }) =>
      withConfig(async (config, connect) => {
        const id = providerArg(provider);
        await resumeProvider(await connect(), config.taskQueue, id, { reason: o.reason, operator: o.operator });
        print(o, { provider: id, paused: false }, () => `${id}: resumed`);
        return EXIT.ok;
      }),
    );
}
