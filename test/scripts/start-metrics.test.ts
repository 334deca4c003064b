/**
 * `npm start` with RESCIND_METRICS_ADDRESS, as a user runs it (free ports, a throwaway data folder):
 * the banner says where the metrics are, a cancellation through the HTTP API is counted once on the
 * API's /metrics and on the worker address, and only the worker address carries the Temporal SDK's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/dev-server.js';
import { parseSamples, seriesKey } from '../platform/prometheus-text.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rescind-start-metrics-'));
let npm: ChildProcess | undefined;
afterAll(() => {
  if (npm && npm.exitCode === null) npm.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

const json = async (method: string, url: string, body?: unknown): Promise<any> => {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
};

it("serves Rescind's metrics on the API and, with the Temporal SDK's, on RESCIND_METRICS_ADDRESS", async () => {
  const ports = { temporal: await freePort(), ui: await freePort(), api: await freePort(), sandbox: await freePort() };
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: '',
    RESCIND_DATA_DIR: dataDir,
    RESCIND_ORDER_SOURCE: `file:${join(dataDir, 'orders.json')}`,
    RESCIND_TEMPORAL_PORT: String(ports.temporal),
    RESCIND_TEMPORAL_UI_PORT: String(ports.ui),
    RESCIND_API_PORT: String(ports.api),
    RESCIND_SANDBOX_PORT: String(ports.sandbox),
    RESCIND_METRICS_ADDRESS: metricsAddress,
  };
  const child = spawn('npm', ['start', '--', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  npm = child;
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('close', r));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      if (/Stop with Ctrl-C/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
  try {
    const api = `http://127.0.0.1:${ports.api}`;
    const worker = `http://${metricsAddress}/metrics`;
    expect(output).toContain(`Metrics            ${api}/metrics, and with the Temporal SDK's ${worker}`);

    const order = await json('POST', `http://127.0.0.1:${ports.sandbox}/_admin/orders`, {
      provider: 'payjs',
      state: 'unpaid',
      amount: 1000,
      payType: 'native',
    });
    const { orderId, merchantId, providerOrderId, createdAt } = order;
    await json('POST', `${api}/v1/cancellations`, {
      order: { provider: 'payjs', merchantId, orderId, providerOrderId, amount: 1000, payType: 'native', createdAt },
    });
    let kind: string | undefined;
    while (!kind) {
      const view = await json('GET', `${api}/v1/cancellations/payjs/${merchantId}/${orderId}`);
      kind = view.outcome?.kind;
      if (!kind) await new Promise((r) => setTimeout(r, 200));
    }

    const outcomeKey = seriesKey('rescind_outcomes_total', { provider: 'payjs', outcome: kind });
    const fromApi = await (await fetch(`${api}/metrics`)).text();
    const fromWorker = await (await fetch(worker)).text();
    // The stack is one process: both endpoints read the same counters, the cancellation once.
    expect(parseSamples(fromApi).get(outcomeKey)).toBe(1);
    expect(parseSamples(fromWorker).get(outcomeKey)).toBe(1);
    expect(fromWorker).toMatch(/^temporal_workflow_completed\{.*\} 1$/m);
    expect(fromApi).not.toMatch(/^temporal_/m);
    expect(fromApi).toMatch(/^rescind_reviews_open\{provider="payjs"\} 0$/m);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}, 240_000);
