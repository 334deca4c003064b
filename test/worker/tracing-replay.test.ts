/**
 * Turning tracing on for workers with runs in flight: histories recorded without the tracing
 * interceptors (test/workflows/histories) replay with them, through the worker options tracing
 * builds (worker/tracing.ts), without a nondeterminism error; and replaying exports no span.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { startTracing } from '../../platform/tracing.js';
import { workerTracing, WORKFLOW_TRACING_MODULE } from '../../worker/tracing.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';

const DIR = 'test/workflows/histories';

/** A history file as the CLI writes it, read with @temporalio/proto's own protojson (as test/workflows/legacy-replay.test.ts does). */
function loadHistory(file: string): unknown {
  const require = createRequire(import.meta.url);
  const besideProto = createRequire(require.resolve('@temporalio/proto'));
  const { fromJson } = besideProto('protobufjs/ext/protojson') as {
    fromJson: (type: unknown, json: unknown, options: unknown) => unknown;
  };
  const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
    'temporal.api.history.v1.History',
  );
  return fromJson(historyType, JSON.parse(readFileSync(file, 'utf8')), { ignoreUnknownFields: true });
}

it('histories recorded without tracing replay with the tracing interceptors, exporting nothing', async () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('rescind-replay-test', { exporter })!;
  try {
    // Replay takes the worker's options without a connection or task queue.
    const options = workerTracing().apply({ workflowsPath: WORKFLOWS_PATH } as WorkerOptions);
    expect(options.interceptors?.workflowModules).toEqual([WORKFLOW_TRACING_MODULE]);
    expect(Object.keys(options.sinks ?? {})).toEqual(['exporter']);

    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const histories = files.map((f) => ({ workflowId: f, history: loadHistory(join(DIR, f)) }));
    const errors: { workflowId: string; error?: string }[] = [];
    for await (const result of Worker.runReplayHistories(options, histories as never))
      errors.push({ workflowId: result.workflowId, error: result.error?.message });
    expect(errors).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
  } finally {
    await tracing.shutdown();
  }
});
