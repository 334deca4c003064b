/**
 * An operator's brake on one provider: pausing sets its task queue's rate limit to 0 through
 * Temporal's UpdateTaskQueueConfig, so no worker is handed another call to it, whichever process
 * it runs in; resuming removes that limit, and the workers' own *_MAX_RPS applies again.
 *
 * What a pause does to money: nothing moves. Calls already sent finish; the others wait in the
 * queue, and their runs wait with them. A call still waiting at its deadline was never sent
 * (workflows/provider-calls.ts): a query is asked again until it is sent; a write is followed by a
 * query, which waits for the resume, so a pause costs a run at most one of its tries at that write.
 * No call is lost and none is sent twice. The reason and who paused are kept by the server and shown
 * by `rescind backlog`.
 */
import type { Client } from '@temporalio/client';
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { providerTaskQueue, type ProviderId } from '../../domain/index.js';
import { RequestError } from '../request.js';

const { TaskQueueType } = proto.temporal.api.enums.v1;

/** The server keeps a reason of at most this many bytes. */
export const PAUSE_REASON_MAX_BYTES = 256;

export interface PauseChange {
  /** Why: shown to every operator who looks. */
  reason: string;
  /** Who: recorded by the server with the change; defaults to the client's identity (pid@host). */
  operator?: string;
}

/** Stop handing out calls to `provider`. */
export async function pauseProvider(
  client: Client,
  taskQueue: string,
  provider: ProviderId,
  change: PauseChange,
): Promise<void> {
  await setQueueLimit(client, taskQueue, provider, change, { requestsPerSecond: 0 });
}

/** Hand out calls to `provider` again, at the workers' own *_MAX_RPS. */
export async function resumeProvider(
  client: Client,
  taskQueue: string,
  provider: ProviderId,
  change: PauseChange = { reason: 'resumed' },
): Promise<void> {
  await setQueueLimit(client, taskQueue, provider, change, undefined);
}

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed)
    throw new RequestError([{ field: 'reason', message: 'say why (operators read it in rescind backlog)' }]);
  if (Buffer.byteLength(trimmed) > PAUSE_REASON_MAX_BYTES)
    throw new RequestError([{ field: 'reason', message: `at most ${PAUSE_REASON_MAX_BYTES} bytes` }]);
  return trimmed;
}

/** A limit replaces the workers' on the queue; none gives theirs back. */
async function setQueueLimit(
  client: Client,
  taskQueue: string,
  provider: ProviderId,
  change: PauseChange,
  rateLimit: { requestsPerSecond: number } | undefined,
): Promise<void> {
  const reason = checkedReason(change.reason);
  await client.workflowService.updateTaskQueueConfig({
    namespace: client.options.namespace,
    identity: change.operator?.trim() || client.options.identity,
    taskQueue: providerTaskQueue(taskQueue, provider),
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    updateQueueRateLimit: rateLimit ? { rateLimit, reason } : { reason },
  });
}
