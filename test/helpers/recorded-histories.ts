/**
 * The recorded workflow histories in test/workflows/histories (its README says what each ran), read
 * as the replay tests need them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readHistoryFile } from '../../worker/history-file.js';

export const HISTORIES_DIR = 'test/workflows/histories';

/** Every recorded history, named by its file (the workflow id the replay reports). */
export function recordedHistories(): { workflowId: string; history: unknown }[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f, history: readHistoryFile(join(HISTORIES_DIR, f)) }));
}
