/**
 * Runs an earlier build left open: a `cancelOrder` of another shape than Rescind's
 * (test/fixtures/workflows/cancel-order-of-another-shape.ts) started on a queue of their own, each
 * past its first workflow task. Rescind's code cannot continue them: the replay and alerting tests
 * meet a nondeterministic history the way a bad deploy would.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cancellationWorkflowId } from '../../domain/index.js';

const OTHER_SHAPE = fileURLToPath(new URL('../fixtures/workflows/cancel-order-of-another-shape.ts', import.meta.url));

export async function startRunsOfAnotherShape(
  temporal: TestWorkflowEnvironment,
  taskQueue: string,
  count: number,
): Promise<WorkflowHandle[]> {
  const earlier = await Worker.create({ connection: temporal.nativeConnection, taskQueue, workflowsPath: OTHER_SHAPE });
  return earlier.runUntil(async () => {
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < count; i++) {
      const order = { provider: 'payjs' as const, merchantId: 'm-earlier', orderId: `o-${randomUUID()}`, amount: 500 };
      const handle = await temporal.client.workflow.start('cancelOrder', {
        taskQueue,
        workflowId: cancellationWorkflowId(order.provider, order.merchantId, order.orderId),
        args: [{ order: { ...order, payType: 'native', createdAt: new Date().toISOString() }, reason: 'timeout' }],
      });
      // Its first workflow task is done once its timer is in the history.
      while (!(await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes))
        await new Promise((resolve) => setTimeout(resolve, 100));
      handles.push(handle);
    }
    return handles;
  });
}
