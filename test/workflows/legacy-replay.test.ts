/**
 * Histories recorded with the workflow code before WAKE_PATCH and RETRY_PATCH (workflows/steps.ts), before
 * HK_PAY_TYPES_PATCH (workflows/run.ts), and before runs wrote only resting stages (workflows/attributes.ts),
 * replay with the current code: no command changed for them (test/workflows/histories/README.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker.js';

const DIR = 'test/workflows/histories';

/**
 * A history file as the CLI writes it. Not through historyFromJSON (@temporalio/common): npm installed
 * two protobufjs copies, and that one's protojson refuses @temporalio/proto's types ("type must be a
 * Type"); the protojson of @temporalio/proto's own copy reads them.
 */
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

it('every recorded history replays without a nondeterminism error', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(10);
  const histories = files.map((f) => ({ workflowId: f, history: loadHistory(join(DIR, f)) }));
  const errors: { workflowId: string; error?: string }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories as never)) {
    errors.push({ workflowId: result.workflowId, error: result.error?.message });
  }
  expect(errors).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
});
