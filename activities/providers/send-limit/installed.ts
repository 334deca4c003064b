/**
 * The process's send limiter, if one is installed: every provider request takes its slot here
 * (activities/providers/http.ts). A worker installs one when RESCIND_RATE_LIMIT_DATABASE_URL is set
 * (worker/worker.ts); without it requests leave as the Temporal server dispatches them.
 */
import type { ProviderId } from '../../../domain/index.js';
import type { SendLimiter } from './limiter.js';

let installed: SendLimiter | undefined;

/** Make `limiter` the one every provider request goes through; returns a function that removes it. */
export function installSendLimiter(limiter: SendLimiter): () => void {
  installed = limiter;
  return () => {
    if (installed === limiter) installed = undefined;
  };
}

/** Wait for a send slot for this request (immediately when no limiter is installed). */
export function takeSendSlot(provider: ProviderId, call: string, signal?: AbortSignal): Promise<void> {
  return installed ? installed.take(provider, call, signal) : Promise.resolve();
}
