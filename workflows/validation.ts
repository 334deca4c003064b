/** Input checks that run inside the workflow (update validators). Deterministic, no imports. */
import type { ReviewResolution } from './definitions.js';

export function validateResolution(r: ReviewResolution): void {
  if (!r || (r.action !== 'retry' && r.action !== 'mark_resolved')) {
    throw new Error('action must be "retry" or "mark_resolved"');
  }
  if (r.action === 'mark_resolved' && (typeof r.note !== 'string' || r.note.trim().length === 0)) {
    throw new Error('mark_resolved needs a note saying what was done');
  }
  if (r.note !== undefined && (typeof r.note !== 'string' || r.note.length > 1000))
    throw new Error('note must be text of at most 1000 characters');
  if (r.operator !== undefined && (typeof r.operator !== 'string' || r.operator.length > 200))
    throw new Error('operator must be text of at most 200 characters');
}
