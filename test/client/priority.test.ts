/**
 * Every way a cancellation starts records who is waiting, on the real stack: the run's
 * WorkflowExecutionStarted event carries the live or reconciliation priority key
 * (domain/priority.ts) and the merchant as fairness key. The provider calls inherit them on the
 * provider's task queue (test/workflows/priority-dispatch.test.ts shows the effect).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { startLatePaymentRun } from '../../client/api/notifications/late-payment.js';
import { RescindClient } from '../../client/library.js';
import { runReconciliationNow } from '../../client/reconcile.js';
import { CANCELLATION_PRIORITY, cancellationWorkflowId, merchantFairnessKey } from '../../domain/index.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { cliEnv, http, rescind } from './support.js';

let stack: Stack;
let api: ApiServer;
let folder: string;
let ordersFile: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rescind-priority-'));
  ordersFile = join(folder, 'orders.json');
  writeFileSync(ordersFile, JSON.stringify({ orders: [] }));
  stack = await startStack({ orderSource: `file:${ordersFile}` });
  api = await startApiServer({
    config: { ...stack.sandbox.config, taskQueue: stack.taskQueue },
    client: stack.env.client,
    host: '127.0.0.1',
    port: 0,
    logStream: { write: () => undefined },
  });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The priority in the first event of the run (the latest run unless runId is given). */
async function startedPriority(client: Client, workflowId: string, runId?: string) {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const priority = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.priority;
  return { priorityKey: priority?.priorityKey, fairnessKey: priority?.fairnessKey };
}

const orderOf = (o: SandboxOrderView) => ({
  provider: o.provider,
  merchantId: o.merchantId,
  orderId: o.orderId,
  providerOrderId: o.providerOrderId,
  amount: o.amount,
  currency: o.currency,
  payType: o.payType,
  createdAt: o.createdAt,
});
const idOf = (o: SandboxOrderView) => cancellationWorkflowId(o.provider, o.merchantId, o.orderId);
const live = (o: SandboxOrderView) => ({
  priorityKey: CANCELLATION_PRIORITY.live,
  fairnessKey: merchantFairnessKey(o.provider, o.merchantId),
});

test('the numbers: live before the default (3) before reconciliation, within the server default of 5 levels', () => {
  expect(CANCELLATION_PRIORITY.live).toBeLessThan(3);
  expect(CANCELLATION_PRIORITY.reconciliation).toBeGreaterThan(3);
  expect(CANCELLATION_PRIORITY.reconciliation).toBeLessThanOrEqual(5);
});

test('the fairness key is the merchant, at most 64 bytes, and distinct for long merchant ids sharing a prefix', () => {
  expect(merchantFairnessKey('wechatpay', '1900000109')).toBe('wechatpay:1900000109');
  const long = (end: string) => merchantFairnessKey('wechatpay', `${'m'.repeat(60)}${end}`);
  expect(Buffer.byteLength(long('a'))).toBeLessThanOrEqual(64);
  expect(long('a')).not.toBe(long('b'));
  expect(long('a')).toBe(long('a'));
});

test('a start through the library is live, with the merchant as fairness key', async () => {
  const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 300, payType: 'NATIVE' });
  const rescindClient = new RescindClient(stack.env.client, { taskQueue: stack.taskQueue });
  const { workflowId } = await rescindClient.start({ order: orderOf(order), reason: 'timeout', cadence: FAST });
  expect(await startedPriority(stack.env.client, workflowId)).toEqual(live(order));
});

test('a start through the HTTP API is live', async () => {
  const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 400, payType: '800201' });
  const res = await http('POST', `${api.url}/v1/cancellations`, {
    json: { order: orderOf(order), reason: 'payment timeout', cadence: FAST },
  });
  expect(res.status).toBe(202);
  expect(await startedPriority(stack.env.client, idOf(order))).toEqual(live(order));
});

test('a start through the CLI is live', async () => {
  const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 500, payType: 'NATIVE' });
  const args = ['cancel', '--provider', 'wechatpay', '--merchant', order.merchantId, '--order', order.orderId];
  const res = await rescind([...args, '--amount', '500', '--pay-type', 'NATIVE', '--json'], cliEnv(stack));
  expect(res.code).toBe(0);
  expect(await startedPriority(stack.env.client, idOf(order))).toEqual(live(order));
});

test('a reconciliation-started cancellation has the low priority key and the merchant as fairness key', async () => {
  const order = await stack.order({
    provider: 'wechatpay',
    state: 'unpaid',
    amount: 600,
    payType: 'NATIVE',
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const row = { ...orderOf(order), status: 'pending' };
  writeFileSync(ordersFile, JSON.stringify({ orders: [row] }));
  const report = await runReconciliationNow(
    stack.env.client,
    { ...stack.sandbox.config, taskQueue: stack.taskQueue },
    { minAgeMs: 15 * 60_000, cadence: FAST },
  );
  expect(report).toMatchObject({ candidates: 1 });
  expect(await startedPriority(stack.env.client, idOf(order))).toEqual({
    priorityKey: CANCELLATION_PRIORITY.reconciliation,
    fairnessKey: 'wechatpay:' + order.merchantId,
  });
});

test('the run a late payment starts is live, whatever started the first one', async () => {
  const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 700, payType: 'NATIVE' });
  const first = await new RescindClient(stack.env.client, {
    taskQueue: stack.taskQueue,
    priority: 'reconciliation',
  }).start({ order: orderOf(order), reason: 'stuck', requestedBy: 'reconciliation', cadence: FAST });
  expect(await stack.env.client.workflow.getHandle(first.workflowId).result()).toMatchObject({ kind: 'closed_unpaid' });
  expect(await startedPriority(stack.env.client, first.workflowId)).toMatchObject({
    priorityKey: CANCELLATION_PRIORITY.reconciliation,
  });
  const late = await startLatePaymentRun(stack.env.client, first.workflowId, {
    provider: 'wechatpay',
    event: 'paid',
    receivedAt: new Date().toISOString(),
  });
  expect(late.result).toBe('late_payment_run');
  const runId = late.result === 'late_payment_run' ? late.runId : undefined;
  expect(await startedPriority(stack.env.client, first.workflowId, runId)).toEqual(live(order));
});
