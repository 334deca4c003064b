/** `rescind replay`: replay open runs against this build's workflow code before rolling it out (worker/replay.ts). */
import { isGrpcServiceError } from '@temporalio/client';
import type { Command } from 'commander';
import { EXIT, EXIT_CODES_HELP, print, wholeNumberOption, withConfig } from '../client/cli/shared.js';
import { RequestError } from '../client/request.js';

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      "before rolling out a new version: replay the runs it would take over against this build's workflow code; exit 1 names each run the code cannot continue",
    )
    .option(
      '--query <visibility query>',
      "the runs to replay, as a Temporal visibility query (default: every run open on RESCIND_TASK_QUEUE: TaskQueue = '<queue>' AND ExecutionStatus = 'Running')",
    )
    .option(
      '--limit <n>',
      'replay at most this many runs, newest first (1–100000)',
      wholeNumberOption('--limit', { min: 1, max: 100_000 }),
      1000,
    )
    .option(
      '--history-file <paths...>',
      'replay these history files instead of asking the cluster (JSON, as `temporal workflow show --output json` writes it)',
    )
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      `\nRun it from the new build's checkout, against the cluster the running workers use (the same
TEMPORAL_* and RESCIND_PAYLOAD_KEYS). Exit 0: every run replayed; 1: at least one did not, and the
change needs a patched() gate before it ships (docs/architecture.md, "Changing workflow code").

A CI with no way into the cluster replays histories saved from it instead (one run per file).

Examples:
  rescind replay --query "WorkflowType = 'cancelOrder' AND StartTime > '2026-11-01T00:00:00Z'" --limit 500
  rescind replay --history-file histories/*.json
${EXIT_CODES_HELP}`,
    )
    .action(async (o: { query?: string; limit: number; historyFile?: string[]; json?: boolean }) =>
      withConfig(async (config, connect) => {
        if (o.query !== undefined && o.query.trim() === '')
          throw new RequestError([{ field: '--query', message: 'is empty: give a visibility query, or leave it out' }]);
        if (o.query !== undefined && o.historyFile)
          throw new RequestError([
            { field: '--history-file', message: 'replays files, --query runs on the cluster: give one of them' },
          ]);
        // Loaded on use, like `rescind worker`: the replayer brings in the native Temporal runtime.
        const [
          { replayRuns, replayHistoryFiles },
          { bundleWorkflowsInChild },
          { Runtime, makeTelemetryFilterString },
          { createRuntimeLogger },
        ] = await Promise.all([
          import('./replay.js'),
          import('./bundle.js'),
          import('@temporalio/worker'),
          import('./logger.js'),
        ]);
        // The verdict is the report: the core's own warnings of each failed task would repeat it.
        Runtime.install({
          logger: createRuntimeLogger('ERROR'),
          telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
        });
        const report = o.historyFile
          ? await replayHistoryFiles(o.historyFile, config, bundleWorkflowsInChild)
          : await replayRuns(await connect(), config, {
              query: o.query,
              limit: o.limit,
              bundleWorkflows: bundleWorkflowsInChild,
            }).catch((err: unknown) => {
              throw badQuery(err) ?? err;
            });
        const source = report.files ? `${report.files.length} history file(s)` : report.query;
        print(o, report, () =>
          report.replayed === 0
            ? `no run matches ${source}: nothing to replay`
            : [
                ...report.failed.map((f) => `FAILED ${f.workflowId} (run ${f.runId}): ${f.error}`),
                `replayed ${report.replayed} run(s) of ${source}: ${report.replayed - report.failed.length} replayed with this build's code, ${report.failed.length} did not`,
              ].join('\n'),
        );
        return report.failed.length === 0 ? EXIT.ok : EXIT.failure;
      }),
    );
}

/** gRPC's status code for a request the server refuses as malformed. */
const GRPC_INVALID_ARGUMENT = 3;

/** The server refused the visibility query: bad input naming the option, with the server's reason. */
function badQuery(err: unknown): RequestError | undefined {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (!isGrpcServiceError(cause) || cause.code !== GRPC_INVALID_ARGUMENT) return undefined;
  return new RequestError([{ field: '--query', message: cause.details || cause.message }]);
}
