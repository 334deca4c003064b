/**
 * The recorded workflow histories in test/workflows/histories (its README says what each ran), read
 * as the replay tests need them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

export const HISTORIES_DIR = 'test/workflows/histories';

/**
 * A history file as the CLI writes it. Not through historyFromJSON (@temporalio/common): npm installed
 * two protobufjs copies, and that one's protojson refuses @temporalio/proto's types ("type must be a
 * Type"); the protojson of @temporalio/proto's own copy reads them.
 */
export function loadHistory(file: string): unknown {
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

/** Every recorded history, named by its file (the workflow id the replay reports). */
export function recordedHistories(): { workflowId: string; history: unknown }[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f, history: loadHistory(join(HISTORIES_DIR, f)) }));
}
