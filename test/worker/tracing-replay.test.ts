/**
 * Turning tracing on for workers with runs in flight: histories recorded without the tracing
 * interceptors (test/workflows/histories) replay with them, through the worker options tracing
 * builds (worker/tracing.ts), without a nondeterminism error; and replaying exports no span.
 */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { startTracing } from '../../platform/tracing.js';
import { workerTracing, WORKFLOW_TRACING_MODULE } from '../../worker/tracing.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { recordedHistories } from '../helpers/recorded-histories.js';

it('histories recorded without tracing replay with the tracing interceptors, exporting nothing', async () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('rescind-replay-test', { exporter })!;
  try {
    // Replay takes the worker's options without a connection or task queue.
    const options = workerTracing().apply({ workflowsPath: WORKFLOWS_PATH } as WorkerOptions);
    expect(options.interceptors?.workflowModules).toEqual([WORKFLOW_TRACING_MODULE]);
    expect(Object.keys(options.sinks ?? {})).toEqual(['exporter']);

    const histories = recordedHistories();
    const files = histories.map((h) => h.workflowId);
    expect(files.length).toBeGreaterThanOrEqual(4);
    const errors: { workflowId: string; error?: string }[] = [];
    for await (const result of Worker.runReplayHistories(options, histories as never))
      errors.push({ workflowId: result.workflowId, error: result.error?.message });
    expect(errors).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
  } finally {
    await tracing.shutdown();
  }
});
