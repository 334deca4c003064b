import type { Client } from '@temporalio/client';
import type { Outcome } from '../../domain/index.js';
// Type only: a client never loads workflow code.
import type { cancelOrder } from '../../workflows/cancel-order.js';
import { OutcomeTimeoutError } from './errors.js';

/**
 * Wait for the final outcome. A run in needs_review has none until an operator resolves it (or the
 * review times out), so this keeps waiting; follow the stage with getCancellation to see reviews.
 * Throws {@link OutcomeTimeoutError} after `timeoutMs` (the run goes on), or the Temporal error
 * when the run failed or was terminated.
 */
export async function waitForOutcome(
  client: Client,
  workflowId: string,
  options: { timeoutMs?: number } = {},
): Promise<Outcome> {
  const handle = client.workflow.getHandle<typeof cancelOrder>(workflowId);
  if (!options.timeoutMs) return handle.result();
  const timeoutMs = options.timeoutMs;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // The abort ends the long poll too, so nothing keeps running after the timeout.
    return await client.withAbortSignal(abort.signal, () => handle.result());
  } catch (err) {
    if (abort.signal.aborted) throw new OutcomeTimeoutError(workflowId, timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
