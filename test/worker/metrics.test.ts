/**
 * `rescind worker` with RESCIND_METRICS_ADDRESS, as a process of its own against a real dev server
 * and the sandbox: one scrape of the address carries the Temporal SDK's worker metrics (its
 * Prometheus exporter) and Rescind's, which count the cancellation this worker ran. A malformed or
 * taken address stops the worker with a message naming the variable.
 */
import { createServer, type Server } from 'node:net';
import { cancellationWorkflowId } from '../../domain/index.js';
import { freeLoopbackAddress } from '../../platform/metrics/endpoint.js';
import { cancelOrder } from '../../workflows/cancel-order.js';
import { rescind, startRescind } from '../client/support.js';
import { createSandboxOrder } from '../helpers/sandbox-orders.js';
import { FAST } from '../helpers/stack.js';
import { useTestServers } from '../helpers/servers.js';
import { parseSamples, seriesKey } from '../platform/prometheus-text.js';
import { CLEAN_ENV, stackWorkerEnv } from '../helpers/worker-process-env.js';

const TASK_QUEUE = 'metrics-worker-test';

describe('RESCIND_METRICS_ADDRESS on rescind worker', () => {
  const servers = useTestServers();

  it("serves the Temporal SDK's worker metrics and Rescind's in one scrape", async () => {
    const address = await freeLoopbackAddress();
    const env = stackWorkerEnv(servers.temporal, servers.sandbox, TASK_QUEUE, { RESCIND_METRICS_ADDRESS: address });
    const worker = await startRescind(['worker'], env, /\[rescind\] worker on .*\n/);
    try {
      expect(worker.output()).toContain(
        `[rescind] metrics (Rescind and the Temporal SDK) at http://${address}/metrics`,
      );
      const order = await createSandboxOrder(servers.sandbox, {
        provider: 'qfpay',
        state: 'paid',
        amount: 1500,
        payType: '800201',
      });
      const outcome = await servers.temporal.client.workflow.execute(cancelOrder, {
        taskQueue: TASK_QUEUE,
        workflowId: cancellationWorkflowId(order.provider, order.merchantId, order.orderId),
        args: [{ order, reason: 'metrics test', cadence: FAST }],
      });
      expect(outcome).toMatchObject({ kind: 'refunded', amount: 1500 });

      const res = await fetch(`http://${address}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      // The SDK's exporter: its worker metrics, with the default temporal_ prefix.
      expect(text).toMatch(/^# TYPE temporal_\w+ /m);
      const samples = parseSamples(text);
      const sdk = [...samples.keys()].filter((key) => key.startsWith('temporal_'));
      expect(sdk.some((key) => key.startsWith('temporal_workflow_completed'))).toBe(true);
      // Rescind's, counted by this worker process alone.
      expect(samples.get(seriesKey('rescind_outcomes_total', { provider: 'qfpay', outcome: 'refunded' }))).toBe(1);
      expect(
        samples.get(
          seriesKey('rescind_refunds_confirmed_minor_units_total', {
            provider: 'qfpay',
            currency: order.currency.toUpperCase(),
          }),
        ),
      ).toBe(1500);
      expect((await fetch(`http://${address}/other`)).status).toBe(404);
    } finally {
      expect(await worker.stop()).toBe(0);
    }
  });

  it('refuses a malformed address before connecting, naming the variable', async () => {
    const res = await rescind(['worker'], {
      ...CLEAN_ENV,
      ...servers.sandbox.env,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      RESCIND_METRICS_ADDRESS: 'http://127.0.0.1:9464/metrics',
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('RESCIND_METRICS_ADDRESS: expected host:port, e.g. 127.0.0.1:9464');
  });

  it('stops with the variable named when the address is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as { port: number };
      const res = await rescind(['worker'], {
        ...CLEAN_ENV,
        ...servers.sandbox.env,
        TEMPORAL_ADDRESS: servers.temporal.address,
        RESCIND_TASK_QUEUE: TASK_QUEUE,
        RESCIND_METRICS_ADDRESS: `127.0.0.1:${port}`,
      });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`RESCIND_METRICS_ADDRESS: cannot serve metrics on 127.0.0.1:${port}`);
    } finally {
      taken.close();
    }
  });
});
