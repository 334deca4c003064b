/** Entry point of the `rescind` command (bin/rescind.js loads it through tsx). */
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT, fail } from './shared.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its message; --help and --version end with 0.
  process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.ok : EXIT.badInput) : fail(err);
}
// Exit now: a closed Temporal connection or a finished server can leave handles that keep Node alive.
process.exit(process.exitCode ?? EXIT.ok);
