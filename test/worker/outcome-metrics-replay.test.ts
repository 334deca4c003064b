/**
 * The outcome metrics' interceptor and sink leave replay alone: the recorded histories in
 * test/workflows/histories replay with them without a nondeterminism error, and replaying runs that
 * ended counts no outcome (the sink is not called on replay).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { outcomesTotal } from '../../platform/metrics/registry.js';
import { METRICS_INTERCEPTOR_PATH, metricsSinks } from '../../worker/outcome-metrics.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { HISTORIES_DIR, recordedHistories } from '../helpers/recorded-histories.js';

const countedOutcomes = async (): Promise<number> =>
  (await outcomesTotal.get()).values.reduce((sum, v) => sum + v.value, 0);

it('replays every recorded history with the outcome interceptor, counting nothing', async () => {
  const histories = recordedHistories();
  const files = histories.map((h) => h.workflowId);
  const ended = histories.filter(({ workflowId }) =>
    readFileSync(join(HISTORIES_DIR, workflowId), 'utf8').includes('workflowExecutionCompletedEventAttributes'),
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
