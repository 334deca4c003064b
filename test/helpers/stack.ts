/**
 * The whole back end for workflow tests: a real Temporal dev server, the real sandbox over HTTP,
 * and Rescind's real workers configured for the sandbox. Helpers create sandbox orders and start
 * cancellations with a fast cadence so tests take seconds.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancellationWorkflowId, type Outcome, type ProviderId } from '../../domain/index.js';
import { cancelOrder } from '../../workflows/cancel-order.js';
import { type Cadence, type CancellationState } from '../../workflows/definitions.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import type { LedgerOrderSummary } from '../../sandbox/store.js';
import {
  createSandboxOrder,
  sandboxLedger,
  type LedgerView,
  type NewSandboxOrder,
  type SandboxOrderView,
} from './sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from './sandbox.js';
import { startTestTemporal, startTestWorkers } from './temporal.js';

export const FAST: Cadence = {
  unknownRetryDelayMs: 200,
  unknownRetryMaxDelayMs: 400,
  confirmDelayMs: 200,
  payingPollIntervalMs: 300,
  payingPollBudgetMs: 3_000,
  refundPollMs: 200,
};

/** The typed sandbox views (./sandbox-orders.ts), under the names the workflow and client tests use. */
export type { SandboxOrderView };
export type LedgerSummary = LedgerView;

/** What a cancellation needs of a sandbox order (a test may also hand in an order the sandbox never had). */
export type CancellableOrder = Pick<
  SandboxOrderView,
  'provider' | 'merchantId' | 'orderId' | 'providerOrderId' | 'amount' | 'currency' | 'payType' | 'createdAt'
> &
  Partial<SandboxOrderView>;

export interface Stack {
  env: TestWorkflowEnvironment;
  sandbox: TestSandbox;
  taskQueue: string;
  /** Create a sandbox order (admin API). */
  order(input: Omit<NewSandboxOrder, 'state'> & { state: string }): Promise<SandboxOrderView>;
  /** Start cancelling a sandbox order. */
  cancel(
    order: CancellableOrder,
    options?: { cadence?: Cadence; createdAt?: string },
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof cancelOrder>>;
  state(handle: WorkflowHandle): Promise<CancellationState>;
  ledgerFor(orderId: string): Promise<LedgerOrderSummary | undefined>;
  ledger(): Promise<LedgerSummary>;
  fault(input: {
    provider: ProviderId;
    call: string;
    kind: string;
    count?: number;
    codes?: string[];
    holdMs?: number;
  }): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** RESCIND_ORDER_SOURCE for the workers' reconciliation activities. */
  orderSource?: string;
  /** Dev-server dynamic config on top of the defaults every test server runs with (./temporal.ts). */
  dynamicConfig?: Record<string, unknown>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const env = await startTestTemporal(options.dynamicConfig);
  const sandbox = await startTestSandbox();
  const taskQueue = `test-${randomUUID()}`;
  const config = options.orderSource
    ? { ...sandbox.config, reconcile: { ...sandbox.config.reconcile, orderSource: options.orderSource } }
    : sandbox.config;
  const workers = await startTestWorkers(env, config, taskQueue);
  const stack: Stack = {
    env,
    sandbox,
    taskQueue,
    // The sandbox validates the state (tests build it from their tables).
    order: (input) => createSandboxOrder(sandbox, input as NewSandboxOrder),
    cancel: async (order, options = {}) =>
      env.client.workflow.start(cancelOrder, {
        taskQueue,
        workflowId: cancellationWorkflowId(order.provider, order.merchantId, order.orderId),
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [
          {
            order: {
              provider: order.provider,
              merchantId: order.merchantId,
              orderId: order.orderId,
              providerOrderId: order.providerOrderId,
              amount: order.amount,
              currency: order.currency,
              payType: order.payType,
              createdAt: options.createdAt ?? order.createdAt,
            },
            reason: 'test',
            cadence: options.cadence ?? FAST,
          },
        ],
      }),
    state: (handle) => handle.query<CancellationState>('getState'),
    ledger: () => sandboxLedger(sandbox),
    ledgerFor: async (orderId) => (await sandboxLedger(sandbox)).orders.find((o) => o.orderId === orderId),
    fault: async (input) => {
      await sandbox.admin('POST', '/faults', input);
    },
    stop: async () => {
      await workers.stop();
      await sandbox.close();
      await env.teardown();
    },
  };
  return stack;
}

/** Poll the workflow's state until `predicate` holds (workflow progress, not timing, is asserted). */
export async function waitForState(
  stack: Stack,
  handle: WorkflowHandle,
  predicate: (s: CancellationState) => boolean,
): Promise<CancellationState> {
  for (;;) {
    const state = await stack.state(handle);
    if (predicate(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Visibility is eventually consistent: list until the query finds the workflow. */
export async function waitUntilListed(stack: Stack, query: string): Promise<string[]> {
  for (;;) {
    const ids: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query })) ids.push(wf.workflowId);
    if (ids.length > 0) return ids;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export type { Outcome };
export { SEARCH_ATTRIBUTES };
