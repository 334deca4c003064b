/** The `rescind` command line: every command, its options and its help. */
import { Command } from 'commander';
import { registerApiCommand } from './commands/api.js';
import { registerBacklogCommand } from './commands/backlog.js';
import { registerCancelCommand } from './commands/cancel.js';
import { registerCodecServerCommand } from './commands/codec-server.js';
import { registerDeploymentCommand } from './commands/deployment.js';
import { registerInitDbCommand } from './commands/init-db.js';
import { registerListCommand } from './commands/list.js';
import { registerNotifyCommand } from './commands/notify.js';
import { registerPauseCommands } from './commands/pause.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerResolveCommand } from './commands/resolve.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerSetupCommand } from './commands/setup.js';
import { registerStatusCommand } from './commands/status.js';
import { CONFIG_HELP, EXIT_CODES_HELP } from './shared.js';

export function buildProgram(): Command {
  const program = new Command('rescind')
    .description(
      'Durable payment cancellation on Temporal: query first, reverse only as a last resort, refund if paid.',
    )
    .version('0.1.0', '-V, --version', 'print the version')
    .helpOption('-h, --help', 'explain a command and every option it takes')
    .showHelpAfterError('(add --help for the options)')
    // Usage errors exit with code 2 (see main.ts), like every other bad input.
    .exitOverride()
    .addHelpText(
      'after',
      `${CONFIG_HELP}\n${EXIT_CODES_HELP}\n\nRun "rescind <command> --help" for a command's options.`,
    );
  registerCancelCommand(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerResolveCommand(program);
  registerNotifyCommand(program);
  registerReconcileCommand(program);
  registerBacklogCommand(program);
  registerPauseCommands(program);
  registerDeploymentCommand(program);
  registerScheduleCommand(program);
  registerSetupCommand(program);
  registerInitDbCommand(program);
  registerSandboxCommand(program);
  registerApiCommand(program);
  registerCodecServerCommand(program);
  return program;
}
