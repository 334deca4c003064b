/**
 * Tracing on the real stack (dev server, sandbox over HTTP, Rescind's workers, the HTTP API), with an
 * in-memory exporter installed in this process: one cancellation POSTed to the API is one trace, from
 * the request's span through the workflow start and run to every provider call, each call carrying
 * its provider, call and result, and no attribute carrying a key, a signature or an amount.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { connectClient } from '../../platform/temporal.js';
import { startTracing, type Tracing } from '../../platform/tracing.js';
import type { CancellationState } from '../../workflows/definitions.js';
import { loadConfig } from '../../worker/config.js';
import { FAST, startStack, type Stack } from '../helpers/stack.js';
import { eventually, http } from '../client/support.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: Stack;
let client: Client;
let api: ApiServer;

beforeAll(async () => {
  // Before the workers and the API exist, as an entry point would: they find it already started.
  tracing = startTracing('rescind-test', { exporter })!;
  stack = await startStack();
  const config = {
    ...loadConfig({ ...stack.sandbox.env, TEMPORAL_ADDRESS: stack.env.address }),
    taskQueue: stack.taskQueue,
  };
  client = await connectClient(config.temporal);
  api = await startApiServer({ config, client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
});
afterAll(async () => {
  await api?.close();
  await client?.connection.close();
  await stack?.stop();
  await tracing?.shutdown();
});

const attr = (span: ReadableSpan, key: string) => span.attributes[key];
const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

/** The chain of span names from `span` up to its root, within one trace. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const names: string[] = [];
  for (let s: ReadableSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined)
    names.push(s.name);
  return names;
}

it('one trace from the API request through the workflow run to each provider call, with their attributes', async () => {
  const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 2345, payType: '800208' });
  // The first query meets a 500: that call is recorded as transient, the rest as ok.
  await stack.fault({ provider: 'qfpay', call: 'query', kind: 'http_500', count: 1 });
  const created = await http('POST', `${api.url}/v1/cancellations`, {
    json: {
      order: {
        provider: 'qfpay',
        merchantId: order.merchantId,
        orderId: order.orderId,
        amount: 2345,
        payType: '800208',
      },
      reason: 'payment timeout',
      cadence: FAST,
    },
  });
  expect(created.status).toBe(202);
  const workflowId = cancellationWorkflowId('qfpay', order.merchantId, order.orderId);
  const handle = client.workflow.getHandle(workflowId);
  expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 2345 });
  const state = await handle.query<CancellationState>('getState');
  const calls = state.calls.filter((c) => c.kind === 'call').map((c) => c.call);

  // Workflow spans leave through the worker's sink after the run's last task: wait for them.
  const http_ = await eventually(async () =>
    exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/cancellations' && attr(s, 'url.path')),
  );
  const traceId = http_.spanContext().traceId;
  const spans = await eventually(async () => {
    const all = spansOf(traceId);
    return all.some((s) => s.name === 'RunWorkflow:cancelOrder') ? all : undefined;
  });
  const named = (name: string) => spans.filter((s) => s.name === name);

  expect(http_.kind).toBe(SpanKind.SERVER);
  expect(http_.parentSpanId).toBeUndefined();
  expect(http_.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/v1/cancellations',
    'http.response.status_code': 202,
  });
  expect(http_.resource.attributes['service.name']).toBe('rescind-test');
  const [start] = named('StartWorkflow:cancelOrder');
  const [run] = named('RunWorkflow:cancelOrder');
  expect(start?.parentSpanId).toBe(http_.spanContext().spanId);
  expect(run?.parentSpanId).toBe(start?.spanContext().spanId);

  // Every provider call the run recorded is an activity span of this trace, under the run.
  const activities = spans
    .filter((s) => s.name.startsWith('RunActivity:'))
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  expect(activities.map((s) => s.name.slice('RunActivity:'.length))).toEqual(calls);
  expect(calls).toEqual(expect.arrayContaining(['queryOrder', 'refundOrder']));
  for (const span of activities) {
    expect(ancestry(span, spans)).toEqual([
      span.name,
      `StartActivity:${span.name.slice('RunActivity:'.length)}`,
      'RunWorkflow:cancelOrder',
      'StartWorkflow:cancelOrder',
      'POST /v1/cancellations',
    ]);
    expect(attr(span, 'temporalWorkflowId')).toBe(workflowId);
    expect(attr(span, 'rescind.provider')).toBe('qfpay');
    expect(attr(span, 'rescind.call')).toBe(span.name.slice('RunActivity:'.length));
  }
  expect(activities.map((s) => attr(s, 'rescind.result'))).toEqual(calls.map((_, i) => (i === 0 ? 'transient' : 'ok')));
  expect(attr(activities[0]!, 'rescind.failure_type')).toBe('transient');
  expect(attr(activities[1]!, 'rescind.answer')).toBe('paid');
  expect(attr(activities[calls.indexOf('refundOrder')]!, 'rescind.answer')).toMatch(/^(accepted|succeeded)$/);

  // No key, signature or amount in any attribute of the trace.
  const secrets = Object.entries(stack.sandbox.env)
    .filter(([name]) => /(_KEY|_APP_CODE)$/.test(name))
    .map(([, value]) => value);
  expect(secrets.length).toBeGreaterThanOrEqual(4);
  const values = spans.flatMap((s) => Object.values(s.attributes).map(String));
  const keys = spans.flatMap((s) => Object.keys(s.attributes));
  for (const value of values) {
    for (const secret of secrets) expect(value).not.toContain(secret);
    expect(value).not.toMatch(/^[0-9a-f]{32,}$/i); // an MD5/SHA-256 signature in hex
    expect(value).not.toBe('2345');
  }
  expect(keys.filter((k) => /sign|key|secret|amount|authorization/i.test(k))).toEqual([]);
});

it("continues a caller's trace from its traceparent header", async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parent = '00f067aa0ba902b7';
  const res = await http('GET', `${api.url}/v1/cancellations/qfpay/ZaMVg12345/NO-SUCH-ORDER`, {
    headers: { traceparent: `00-${traceId}-${parent}-01` },
  });
  expect(res.status).toBe(404);
  const span = await eventually(async () =>
    spansOf(traceId).find((s) => s.name === 'GET /v1/cancellations/:provider/:merchant/:order'),
  );
  expect(span.parentSpanId).toBe(parent);
  expect(span.attributes['http.response.status_code']).toBe(404);
});
