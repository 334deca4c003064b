/**
 * `rescind replay`: check a new build's workflow code against the runs it would take over, before
 * it is rolled out. By default every run open on Rescind's task queue is replayed from its history
 * with this build's code, exactly as a worker of this build would rebuild it. A change that is not
 * replay-safe (a command added, removed or moved without a patch, docs/architecture.md "Changing
 * workflow code") fails here, naming each run it would break, instead of stalling those runs on the
 * new workers: a stalled cancellation is money nobody is returning. Histories saved as files
 * (`temporal workflow show --output json`) replay the same way, for a CI with no way into the cluster.
 *
 * Tracing's workflow interceptors are left out: they add no commands, so they cannot change the verdict.
 */
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { RequestError } from '../client/request.js';
import { dataConverterFor, type TemporalSettings } from '../platform/temporal.js';
import type { BundleRequest } from './bundle.js';
import { readHistoryFile } from './history-file.js';
import { WORKFLOW_CODE } from './worker.js';

/** Builds the workflow bundle (worker/bundle.ts), as `rescind worker` does. */
export type BundleWorkflows = (request: BundleRequest) => Promise<{ code: string }>;

export interface ReplayOptions {
  /** A Temporal visibility query; defaults to the runs open on the configured task queue. */
  query?: string;
  /** Replay at most this many runs (the newest first, as visibility lists them). */
  limit: number;
  bundleWorkflows: BundleWorkflows;
}

export interface ReplayFailure {
  workflowId: string;
  runId: string;
  /** The error's class (DeterminismViolationError, ReplayError) and what went wrong, in one line. */
  error: string;
  /** The SDK's whole message. */
  detail: string;
}

export interface ReplayReport {
  /** What was replayed: the runs a visibility query found, or history files. */
  query?: string;
  files?: string[];
  /** Runs replayed, failed ones included. */
  replayed: number;
  failed: ReplayFailure[];
}

/** The runs a rollout takes over: every run still open on Rescind's task queue. */
export const openRunsQuery = (taskQueue: string): string =>
  `TaskQueue = '${taskQueue.replaceAll("'", "\\'")}' AND ExecutionStatus = 'Running'`;

export async function replayRuns(
  client: Client,
  settings: TemporalSettings,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const query = options.query ?? openRunsQuery(settings.taskQueue);
  const histories = firstHistories(client.workflow.list({ query }).intoHistories(), options.limit);
  return { query, ...(await replay(histories, settings, options.bundleWorkflows)) };
}

/**
 * Replay history files; each is reported by its path. Files that cannot be read are refused
 * together, before anything is bundled: RequestError naming each one.
 */
export async function replayHistoryFiles(
  files: string[],
  settings: TemporalSettings,
  bundleWorkflows: BundleWorkflows,
): Promise<ReplayReport> {
  const problems: { field: string; message: string }[] = [];
  const histories = files.flatMap((file) => {
    try {
      return [{ workflowId: file, history: readHistoryFile(file) }];
    } catch (err) {
      problems.push({ field: '--history-file', message: `${file}: ${(err as Error).message}` });
      return [];
    }
  });
  if (problems.length > 0) throw new RequestError(problems);
  return { files, ...(await replay(histories, settings, bundleWorkflows)) };
}

async function replay(
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  settings: TemporalSettings,
  bundleWorkflows: BundleWorkflows,
): Promise<Pick<ReplayReport, 'replayed' | 'failed'>> {
  const { code } = await bundleWorkflows({
    workflowsPath: WORKFLOW_CODE.workflowsPath,
    workflowInterceptorModules: WORKFLOW_CODE.workflowInterceptorModules,
  });
  const results = Worker.runReplayHistories(
    {
      workflowBundle: { code },
      sinks: WORKFLOW_CODE.sinks,
      // Encrypted histories are read with the workers' keys (RESCIND_PAYLOAD_KEYS).
      dataConverter: dataConverterFor(settings.temporal),
      replayName: 'rescind-replay',
    },
    histories,
  );
  const report: Pick<ReplayReport, 'replayed' | 'failed'> = { replayed: 0, failed: [] };
  for await (const result of results) {
    report.replayed++;
    if (result.error) {
      const { name, message } = result.error;
      report.failed.push({
        workflowId: result.workflowId,
        runId: result.runId,
        error: `${name}: ${cause(message)}`,
        detail: message,
      });
    }
  }
  return report;
}

/**
 * The SDK wraps the cause (e.g. "[TMPRL1100] Nondeterminism error: ... does not handle
 * HistoryEvent(id: 5, TimerStarted)") in a paragraph and a Rust debug dump; an operator needs the cause.
 */
function cause(message: string): string {
  const quoted = message.match(/message: "((?:[^"\\]|\\.)*)"/)?.[1];
  if (quoted === undefined) return message.split('\n')[0]!;
  try {
    // Rust's debug quoting escapes like JSON's for what a message holds (\" \\ \n).
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}

async function* firstHistories(
  histories: AsyncIterable<HistoryAndWorkflowId>,
  limit: number,
): AsyncIterable<HistoryAndWorkflowId> {
  let taken = 0;
  if (limit <= 0) return;
  for await (const history of histories) {
    yield history;
    if (++taken >= limit) return;
  }
}
