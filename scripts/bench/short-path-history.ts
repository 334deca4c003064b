/**
 * `npx tsx scripts/bench/short-path-history.ts [provider]`: one short cancellation (an unpaid order
 * closed or reversed, then confirmed) and one bare workflow with as many no-op activities, on a
 * fresh dev server; prints both histories event by event, so every event Rescind adds is visible.
 */
// CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import type { ProviderId } from '../../domain/index.js';
import { startCancellation } from '../../client/library.js';
import { startBenchStack } from '../bench-stack.js';
import { startBareWorkers } from './bare-workers.js';
import type { bareWorkflow } from './bare-workflow.js';
import { orderRefOf } from './order-ref.js';

const PAY_TYPES: Record<ProviderId, string> = {
  payjs: 'native',
  qfpay: '800201',
  wechatpay: 'NATIVE',
  pingpp: 'wx_pub_scan',
};
const provider = (process.argv[2] ?? 'qfpay') as ProviderId;

const stack = await startBenchStack({ RESCIND_TASK_QUEUE: 'bench-history' });
const bare = await startBareWorkers(stack.connection, stack.config.temporal.namespace, 'bench-history-bare');
try {
  const order = await stack.admin('POST', '/orders', {
    provider,
    payType: PAY_TYPES[provider],
    state: 'unpaid',
    amount: 1000,
  });
  const { workflowId } = await startCancellation(stack.client, stack.config, {
    order: orderRefOf(order),
  });
  await stack.client.workflow.getHandle(workflowId).result();
  const rescind = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const activities = rescind.filter((e) => e.activityTaskScheduledEventAttributes).length;
  const handle = await stack.client.workflow.start<typeof bareWorkflow>('bareWorkflow', {
    taskQueue: bare.taskQueue,
    workflowId: `bench-history-bare-${Date.now()}`,
    args: [activities, bare.activityQueue],
  });
  await handle.result();
  const bareEvents = (await handle.fetchHistory()).events ?? [];
  for (const [name, events] of [
    [`Rescind ${provider} unpaid → ${workflowId}`, rescind],
    [`bare workflow, ${activities} no-op activities`, bareEvents],
  ] as const) {
    console.log(`${name}: ${events.length} events`);
    for (const e of events) console.log(`  ${String(e.eventId).padStart(3)} ${describe(e)}`);
  }
} finally {
  await bare.stop();
  await stack.stop();
}

function describe(e: temporal.api.history.v1.IHistoryEvent): string {
  const type = String(proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
  const upsert = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
  if (upsert) return `${type} ${Object.keys(upsert).join(', ')}`;
  const marker = e.markerRecordedEventAttributes;
  if (marker) return `${type} ${marker.markerName}`;
  const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
  return activity ? `${type} ${activity}` : type;
}
