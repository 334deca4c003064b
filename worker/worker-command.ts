/** `rescind worker`: run Rescind's workers until Ctrl-C / SIGTERM. */
import type { Command } from 'commander';
import { CONFIG_HELP, EXIT, EXIT_CODES_HELP, run } from '../client/cli/shared.js';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run the Rescind workers: the workflow worker plus one rate-limited activity worker per configured provider; stops cleanly on Ctrl-C',
    )
    .addHelpText('after', `${CONFIG_HELP}\n${EXIT_CODES_HELP}`)
    .action(async () =>
      run(async () => {
        // Loaded on use: the worker brings in the native Temporal runtime, which other commands do not need.
        const { runWorker } = await import('./main.js');
        await runWorker();
        return EXIT.ok;
      }),
    );
}
