/** A new sandbox order, and a cancellation of it started on a task queue: the opening of many tests. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startCancellation } from '../../client/library.js';
import type { CancellationRequest } from '../../workflows/definitions.js';
import {
  createSandboxOrder,
  orderRefOf,
  type NewSandboxOrder,
  type SandboxAdmin,
  type SandboxOrderView,
} from './sandbox-orders.js';

export async function cancelSandboxOrder(
  client: Client,
  sandbox: SandboxAdmin,
  taskQueue: string,
  input: NewSandboxOrder,
  request: Omit<CancellationRequest, 'order'>,
): Promise<{ order: SandboxOrderView; handle: WorkflowHandle }> {
  const order = await createSandboxOrder(sandbox, input);
  const { workflowId } = await startCancellation(client, { taskQueue }, { ...request, order: orderRefOf(order) });
  return { order, handle: client.workflow.getHandle(workflowId) };
}
