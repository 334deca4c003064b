/**
 * The outcome metrics' interceptor and sink leave replay alone: the recorded histories in
 * test/workflows/histories replay with them without a nondeterminism error, and replaying runs that
 * ended counts no outcome (the sink is not called on replay).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import { Worker } from '@temporalio/worker';
import { outcomesTotal } from '../../platform/metrics/registry.js';
import { METRICS_INTERCEPTOR_PATH, metricsSinks } from '../../worker/outcome-metrics.js';
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

const countedOutcomes = async (): Promise<number> =>
  (await outcomesTotal.get()).values.reduce((sum, v) => sum + v.value, 0);

it('replays every recorded history with the outcome interceptor, counting nothing', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  const histories = files.map((f) => ({ workflowId: f, history: loadHistory(join(DIR, f)) }));
  const ended = histories.filter(({ workflowId }) =>
    readFileSync(join(DIR, workflowId), 'utf8').includes('workflowExecutionCompletedEventAttributes'),
  );
  // Runs that ended are in the set: a sink called on replay would count them.
  expect(ended.length).toBeGreaterThan(0);
  const before = await countedOutcomes();
  const errors: { workflowId: string; error?: string }[] = [];
  for await (const result of Worker.runReplayHistories(
    {
      workflowsPath: WORKFLOWS_PATH,
      interceptors: { workflowModules: [METRICS_INTERCEPTOR_PATH] },
      sinks: metricsSinks,
    },
    histories as never,
  ))
    errors.push({ workflowId: result.workflowId, error: result.error?.message });
  expect(errors).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  expect(await countedOutcomes()).toBe(before);
});
