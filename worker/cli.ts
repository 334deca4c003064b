/**
 * Entry point of the `rescind` command (bin/rescind.js loads it through tsx): the client's commands
 * plus `rescind worker` and `rescind replay`, which load workflow code: only this composition root may.
 */
import { CommanderError } from 'commander';
import { buildProgram } from '../client/cli/program.js';
import { EXIT, fail } from '../client/cli/shared.js';
import { activeTracing } from '../platform/tracing.js';
import { registerReplayCommand } from './replay-command.js';
import { registerWorkerCommand } from './worker-command.js';

try {
  const program = buildProgram();
  registerWorkerCommand(program);
  registerReplayCommand(program);
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its message; --help and --version end with 0.
  process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.ok : EXIT.badInput) : fail(err);
}
// Spans still buffered (rescind api, rescind worker with tracing on) are exported before exiting.
await activeTracing()
  ?.shutdown()
  .catch(() => undefined);
// Exit now: a closed Temporal connection or a finished server can leave handles that keep Node alive.
process.exit(process.exitCode ?? EXIT.ok);
