/**
 * Tracing as the README turns it on: `rescind worker` and `rescind api` run as their own processes
 * with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a small OTLP/HTTP receiver this test runs, on a real
 * dev server and the sandbox. A cancellation POSTed to the API arrives there as one trace, the API's
 * spans and the worker's under their service names.
 */
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancellationWorkflowId } from '../../domain/index.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { createSandboxOrder } from '../helpers/sandbox-orders.js';
import { startTestTemporal } from '../helpers/temporal.js';
import { FAST } from '../helpers/stack.js';
import { eventually, http, startRescind } from '../client/support.js';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** Requests the receiver got, and the spans in them. */
const requests: { path: string; contentType?: string }[] = [];
const received: ReceivedSpan[] = [];

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const plain = (attributes: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );

/** OTLP/HTTP in JSON (the exporter's encoding): resourceSpans → scopeSpans → spans. */
function receive(body: string): void {
  for (const rs of JSON.parse(body).resourceSpans ?? []) {
    const service = String(plain(rs.resource?.attributes)['service.name']);
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        received.push({
          service,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          attributes: plain(s.attributes),
        });
  }
}

let receiver: Server;
let receiverUrl: string;
let env: TestWorkflowEnvironment;
let sandbox: TestSandbox;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      receive(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  env = await startTestTemporal();
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
  await env?.teardown();
  await new Promise((resolve) => receiver?.close(resolve));
});

// Two rescind processes started one after the other (the worker bundles its workflows) and a
// cancellation: 43 s at load average 9 on two cores, as long as the CLI help test that has reached
// the 120 s default under load (test/client/cli.test.ts).
it('rescind api and rescind worker export one trace over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
  const taskQueue = `otlp-${randomUUID()}`;
  const processEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandbox.env,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    RESCIND_TASK_QUEUE: taskQueue,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    // Export every 200 ms instead of 5 s, so spans arrive while the processes run.
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const worker = await startRescind(['worker'], processEnv, /\[rescind\] worker on/);
  const api = await startRescind(['api', '--port', '0', '--log-level', 'warn'], processEnv, /HTTP API on (\S+)/);
  try {
    const order = await createSandboxOrder(sandbox, { provider: 'payjs', state: 'unpaid', amount: 990 });
    const created = await http('POST', `${api.match[1]}/v1/cancellations`, {
      json: {
        order: {
          provider: 'payjs',
          merchantId: order.merchantId,
          orderId: order.orderId,
          providerOrderId: order.providerOrderId,
          amount: 990,
          createdAt: order.createdAt,
        },
        cadence: FAST,
      },
    });
    expect(created.status).toBe(202);
    const workflowId = cancellationWorkflowId('payjs', order.merchantId, order.orderId);
    expect(await env.client.workflow.getHandle(workflowId).result()).toMatchObject({ kind: 'closed_unpaid' });

    const request = await eventually(async () => received.find((s) => s.name === 'POST /v1/cancellations'));
    const trace = await eventually(async () => {
      const spans = received.filter((s) => s.traceId === request.traceId);
      const names = new Set(spans.map((s) => s.name));
      return ['RunWorkflow:cancelOrder', 'RunActivity:queryOrder', 'RunActivity:closeOrder'].every((n) => names.has(n))
        ? spans
        : undefined;
    });
    const one = (name: string) => trace.find((s) => s.name === name)!;
    expect(requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    expect(one('POST /v1/cancellations')).toMatchObject({ service: 'rescind-api', parentSpanId: undefined });
    expect(one('StartWorkflow:cancelOrder')).toMatchObject({
      service: 'rescind-api',
      parentSpanId: request.spanId,
    });
    expect(one('RunWorkflow:cancelOrder')).toMatchObject({
      service: 'rescind-worker',
      parentSpanId: one('StartWorkflow:cancelOrder').spanId,
    });
    expect(one('RunActivity:closeOrder')).toMatchObject({
      service: 'rescind-worker',
      attributes: expect.objectContaining({
        'rescind.provider': 'payjs',
        'rescind.call': 'closeOrder',
        'rescind.result': 'ok',
        temporalWorkflowId: workflowId,
      }),
    });
  } finally {
    expect(await api.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  }
}, 300_000);
