/**
 * A workflow history saved as JSON, as `temporal workflow show --output json` (and the Temporal UI's
 * download) writes it, read into the SDK's History type for replay (`rescind replay --history-file`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Not through historyFromJSON (@temporalio/common): npm installed two protobufjs copies, and that
 * one's protojson refuses @temporalio/proto's types ("type must be a Type"); the protojson of
 * @temporalio/proto's own copy reads them. Throws on a file that is missing or not a history.
 */
export function readHistoryFile(file: string): unknown {
  // Required as CommonJS, the form @temporalio/proto ships: an ESM namespace import of it differs between loaders.
  const require = createRequire(import.meta.url);
  const besideProto = createRequire(require.resolve('@temporalio/proto'));
  const { fromJson } = besideProto('protobufjs/ext/protojson') as {
    fromJson: (type: unknown, json: unknown, options: unknown) => unknown;
  };
  const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as {
    patchProtobufRoot: (root: unknown) => { lookupType(name: string): unknown };
  };
  const historyType = patchProtobufRoot(require('@temporalio/proto')).lookupType('temporal.api.history.v1.History');
  const history = fromJson(historyType, JSON.parse(readFileSync(file, 'utf8')), { ignoreUnknownFields: true }) as {
    events?: unknown[];
  };
  if (!history.events?.length) throw new Error('holds no history events');
  return history;
}
