/**
 * The Temporal runtime's logger for Rescind processes: one line per entry, and none for what is
 * expected by design. A provider answering "in progress" is how polling works here (a retryable
 * activity failure with nextRetryDelay), and the provider workers poll activities only; the SDK
 * reports both as warnings, which would bury the warnings that matter.
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

const EXPECTED_FAILURE_TYPES = new Set(['in_progress']);

/** True for warnings that describe Rescind working as designed. */
export function isExpectedNoise(entry: Pick<LogEntry, 'message' | 'meta'>): boolean {
  if (entry.message.startsWith('No workflows registered')) return true;
  const error = entry.meta?.error as { type?: unknown } | undefined;
  return (
    entry.message === 'Activity failed' && typeof error?.type === 'string' && EXPECTED_FAILURE_TYPES.has(error.type)
  );
}

/** One line: time, level, message, and the ids an operator needs to find the run. */
export function formatEntry(entry: LogEntry): string {
  const meta = entry.meta ?? {};
  const error = meta.error as { message?: string; type?: string } | undefined;
  const fields = [
    meta.workflowId && `workflow=${String(meta.workflowId)}`,
    meta.activityType && `activity=${String(meta.activityType)}`,
    meta.attempt && `attempt=${String(meta.attempt)}`,
    meta.taskQueue && `queue=${String(meta.taskQueue)}`,
    error && `error=${error.type ? `${error.type}: ` : ''}${error.message ?? String(error)}`,
  ].filter(Boolean);
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  return `${time} [${entry.level}] ${entry.message}${fields.length ? ` ${fields.join(' ')}` : ''}`;
}

export function createRuntimeLogger(
  level: LogLevel = 'WARN',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): DefaultLogger {
  return new DefaultLogger(level, (entry) => {
    if (!isExpectedNoise(entry)) write(formatEntry(entry));
  });
}
