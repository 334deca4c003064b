/**
 * Histories recorded with the workflow code before WAKE_PATCH, RETRY_PATCH and QUEUED_QUERY_PATCH
 * (workflows/steps.ts), before HK_PAY_TYPES_PATCH (workflows/run.ts), and before runs wrote only resting
 * stages (workflows/attributes.ts), and before ACT_BEFORE_CONTINUE_PATCH (workflows/cancel-order.ts), and one
 * with each of QUEUED_QUERY_PATCH's loop and ACT_BEFORE_CONTINUE_PATCH, replay with the current code: no command
 * changed for them (test/workflows/histories/README.md).
 */
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { recordedHistories } from '../helpers/recorded-histories.js';

it('every recorded history replays without a nondeterminism error', async () => {
  const histories = recordedHistories();
  const files = histories.map((h) => h.workflowId);
  expect(files).toHaveLength(14);
  const errors: { workflowId: string; error?: string }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories as never)) {
    errors.push({ workflowId: result.workflowId, error: result.error?.message });
  }
  expect(errors).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
});
