/**
 * Rescind's metrics on the real stack (dev server, sandbox over HTTP, workers, API): cancellations,
 * failed attempts, notifications and a reconciliation move every counter by exactly what happened,
 * read from the API's GET /metrics and from a worker metrics endpoint serving the same process registry.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { runReconciliationNow } from '../../../client/reconcile.js';
import { startApiServer, type ApiServer } from '../../../client/api/server.js';
import type { ProviderId } from '../../../domain/index.js';
import { freeLoopbackAddress, startMetricsEndpoint, type MetricsEndpoint } from '../../../platform/metrics/endpoint.js';
import { parseMetricsAddress } from '../../../platform/metrics/address.js';
import { metricsRegistry } from '../../../platform/metrics/registry.js';
import { loadConfig } from '../../../worker/config.js';
import { FAST, startStack, waitForState, type Stack } from '../../helpers/stack.js';
import { deltas, parseSamples, seriesKey } from '../../platform/prometheus-text.js';
import { eventually, http } from '../support.js';

const TOKEN = 'metrics-test-token';
let stack: Stack;
let api: ApiServer;
let workerEndpoint: MetricsEndpoint;
const dir = mkdtempSync(join(tmpdir(), 'rescind-metrics-'));
const ordersFile = join(dir, 'orders.json');

beforeAll(async () => {
  stack = await startStack({ orderSource: `file:${ordersFile}` });
  const config = { ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: TOKEN }), taskQueue: stack.taskQueue };
  api = await startApiServer({ config, client: stack.env.client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
  await stack.sandbox.admin('PUT', '/notify-url', { url: `${api.url}/notify/{provider}` });
  workerEndpoint = await startMetricsEndpoint({
    address: parseMetricsAddress(await freeLoopbackAddress())!,
    registry: metricsRegistry,
  });
});
afterAll(async () => {
  await workerEndpoint?.close();
  await api?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const scrape = async (url = `${api.url}/metrics`): Promise<Map<string, number>> => {
  const res = await http('GET', url, { token: TOKEN });
  expect(res.status).toBe(200);
  return parseSamples(res.text);
};

/**
 * The histogram counts a run's provider calls should have added: each call the run recorded is one
 * attempt answered ok (no faults here), and each earlier attempt of the same activity, in its history,
 * was a "paying" answer polled again (in_progress).
 */
async function expectedCalls(provider: ProviderId, handle: WorkflowHandle): Promise<Record<string, number>> {
  const expected: Record<string, number> = {};
  const add = (call: string, result: string, n: number) => {
    const key = seriesKey('rescind_provider_call_duration_seconds_count', { provider, call, result });
    if (n > 0) expected[key] = (expected[key] ?? 0) + n;
  };
  for (const record of (await stack.state(handle)).calls) if (record.kind === 'call') add(record.call, 'ok', 1);
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  for (const event of events) {
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(event.eventId), s.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started) add(scheduled.get(String(started.scheduledEventId))!, 'in_progress', (started.attempt ?? 1) - 1);
  }
  return expected;
}

describe('GET /metrics', () => {
  it('asks for the bearer token like /v1, and answers in the Prometheus text format', async () => {
    expect((await http('GET', `${api.url}/metrics`)).status).toBe(401);
    const res = await http('GET', `${api.url}/metrics`, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('# TYPE rescind_provider_call_duration_seconds histogram');
    expect(res.text).toContain('# TYPE rescind_reviews_open gauge');
  });

  it('counts cancellations, refunds, provider calls, open reviews and notifications exactly', async () => {
    const before = await scrape();
    const beforeWorker = await scrape(workerEndpoint.url);

    // One unpaid order closed, one paid order refunded, one sent to review (PAYJS refunds whole orders only).
    const unpaid = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1234, payType: '800201' });
    const paid = await stack.order({ provider: 'wechatpay', state: 'paid', amount: 2500, payType: 'NATIVE' });
    const partial = await stack.order({ provider: 'payjs', state: 'paid', amount: 1200, payType: 'native' });
    const closing = await stack.cancel(unpaid);
    const refunding = await stack.cancel(paid);
    const reviewing: WorkflowHandle = await stack.cancel({ ...partial, amount: 1000 });
    const closed = await closing.result();
    const refunded = await refunding.result();
    const inReview = await waitForState(stack, reviewing, (s) => s.stage === 'needs_review');
    expect(refunded).toMatchObject({ kind: 'refunded', amount: 2500 });

    // A payment notification the sandbox signs, and one signed by nobody.
    const notified = await stack.order({ provider: 'pingpp', state: 'unpaid', amount: 800, payType: 'alipay_qr' });
    await stack.sandbox.admin('POST', `/orders/pingpp/${notified.orderId}/pay`);
    const forged = await http('POST', `${api.url}/notify/pingpp`, {
      body: JSON.stringify({ id: 'evt_forged', type: 'charge.succeeded', data: { object: {} } }),
      headers: { 'content-type': 'application/json', 'x-pingplusplus-signature': 'Zm9yZ2Vk' },
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const verifiedKey = seriesKey('rescind_notifications_total', { provider: 'pingpp', result: 'verified' });
    // The sandbox sends its notification on its own: wait until the receiver has seen it.
    await eventually(
      async () => ((await scrape()).get(verifiedKey) ?? 0) > (before.get(verifiedKey) ?? 0) || undefined,
    );

    // Visibility lags: the gauge counts the review once the stage reaches the index.
    const reviewKey = seriesKey('rescind_reviews_open', { provider: 'payjs' });
    const openBefore = before.get(reviewKey) ?? 0;
    const after = await eventually(async () => {
      const samples = await scrape();
      return samples.get(reviewKey) === openBefore + 1 ? samples : undefined;
    });

    expect(deltas(before, after, 'rescind_outcomes_total')).toEqual({
      [seriesKey('rescind_outcomes_total', { provider: 'qfpay', outcome: closed.kind })]: 1,
      [seriesKey('rescind_outcomes_total', { provider: 'wechatpay', outcome: 'refunded' })]: 1,
    });
    const wechatCny = { provider: 'wechatpay', currency: paid.currency.toUpperCase() };
    expect(deltas(before, after, 'rescind_refunds_requested_total')).toEqual({
      [seriesKey('rescind_refunds_requested_total', wechatCny)]: 1,
    });
    expect(deltas(before, after, 'rescind_refunds_requested_minor_units_total')).toEqual({
      [seriesKey('rescind_refunds_requested_minor_units_total', wechatCny)]: 2500,
    });
    expect(deltas(before, after, 'rescind_refunds_confirmed_total')).toEqual({
      [seriesKey('rescind_refunds_confirmed_total', wechatCny)]: 1,
    });
    expect(deltas(before, after, 'rescind_refunds_confirmed_minor_units_total')).toEqual({
      [seriesKey('rescind_refunds_confirmed_minor_units_total', wechatCny)]: 2500,
    });
    expect(deltas(before, after, 'rescind_notifications_total')).toMatchObject({
      [verifiedKey]: 1,
      [seriesKey('rescind_notifications_total', { provider: 'pingpp', result: 'refused' })]: 1,
    });

    // Every provider call is one attempt in the histogram, under its call and result.
    const calls = deltas(before, after, 'rescind_provider_call_duration_seconds_count');
    const runs: [ProviderId, WorkflowHandle][] = [
      ['qfpay', closing],
      ['wechatpay', refunding],
      ['payjs', reviewing],
    ];
    for (const [provider, handle] of runs) {
      const mine = Object.fromEntries(Object.entries(calls).filter(([key]) => key.includes(`provider="${provider}"`)));
      expect(mine).toEqual(await expectedCalls(provider, handle));
    }
    expect(inReview.calls.map((c) => c.call)).toEqual(['queryOrder']);

    // The worker endpoint serves the same process registry: its counters moved alike.
    const afterWorker = await scrape(workerEndpoint.url);
    expect(deltas(beforeWorker, afterWorker, 'rescind_outcomes_total')).toEqual(
      deltas(before, after, 'rescind_outcomes_total'),
    );
    expect(afterWorker.has(reviewKey)).toBe(false);

    // A run that leaves review (here: terminated) no longer counts.
    await reviewing.terminate('metrics test over');
    await eventually(async () => ((await scrape()).get(reviewKey) === openBefore ? true : undefined));
  });

  it('classifies failed attempts: a 500 to a query is transient, a badly signed refund answer untrusted', async () => {
    const before = await scrape();
    const order = await stack.order({ provider: 'pingpp', state: 'paid', amount: 4100, payType: 'alipay_qr' });
    await stack.fault({ provider: 'pingpp', call: 'query', kind: 'http_500', count: 1 });
    await stack.fault({ provider: 'pingpp', call: 'refund', kind: 'bad_signature', count: 1 });
    const handle = await stack.cancel(order);
    expect(await handle.result()).toMatchObject({ kind: 'refunded', amount: 4100 });
    const after = await scrape();

    const state = await stack.state(handle);
    const recorded = (call: string) => state.calls.filter((c) => c.kind === 'call' && c.call === call).length;
    // The failed query came back to the run as an unknown answer (recorded); the refund's untrusted
    // answer was retried by Temporal inside the one call the run recorded.
    expect(state.calls[0]).toMatchObject({ call: 'queryOrder', result: expect.stringMatching(/^unknown/) });
    const key = (call: string, result: string) =>
      seriesKey('rescind_provider_call_duration_seconds_count', { provider: 'pingpp', call, result });
    const expected: Record<string, number> = {
      [key('queryOrder', 'transient')]: 1,
      [key('queryOrder', 'ok')]: recorded('queryOrder') - 1,
      [key('refundOrder', 'untrusted')]: 1,
      [key('refundOrder', 'ok')]: recorded('refundOrder'),
    };
    if (recorded('queryRefund') > 0) expected[key('queryRefund', 'ok')] = recorded('queryRefund');
    expect(deltas(before, after, 'rescind_provider_call_duration_seconds_count')).toEqual(expected);
    // One refund asked for, though the provider was asked twice.
    expect(deltas(before, after, 'rescind_refunds_requested_total')).toEqual({
      [seriesKey('rescind_refunds_requested_total', { provider: 'pingpp', currency: order.currency.toUpperCase() })]: 1,
    });
  });

  it('counts the orders reconciliation read and cancelled, by the status it wrote back', async () => {
    const before = await scrape();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const orders = await Promise.all([
      stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 700, payType: 'NATIVE', createdAt: hourAgo }),
      stack.order({ provider: 'wechatpay', state: 'paid', amount: 900, payType: 'NATIVE', createdAt: hourAgo }),
      stack.order({ provider: 'qfpay', state: 'paid', amount: 1100, payType: '800201', createdAt: hourAgo }),
    ]);
    const rows = orders.map((o) => ({
      provider: o.provider,
      merchantId: o.merchantId,
      orderId: o.orderId,
      providerOrderId: o.providerOrderId,
      amount: o.amount,
      currency: o.currency,
      payType: o.payType,
      createdAt: o.createdAt,
      status: 'pending',
    }));
    writeFileSync(ordersFile, JSON.stringify({ orders: rows }));
    await runReconciliationNow(
      stack.env.client,
      { taskQueue: stack.taskQueue },
      { minAgeMs: 15 * 60_000, batchSize: 10, concurrency: 3, batchesPerRun: 1, waitMs: 60_000, cadence: FAST },
    );
    const after = await scrape();

    const written = (JSON.parse(readFileSync(ordersFile, 'utf8')) as { orders: { provider: string; status: string }[] })
      .orders;
    const cancelled: Record<string, number> = {};
    for (const { provider, status } of written) {
      const key = seriesKey('rescind_reconcile_orders_cancelled_total', { provider, status });
      cancelled[key] = (cancelled[key] ?? 0) + 1;
    }
    expect(written.map((o) => o.status)).not.toContain('pending');
    expect(deltas(before, after, 'rescind_reconcile_orders_read_total')).toEqual({
      [seriesKey('rescind_reconcile_orders_read_total', { provider: 'wechatpay' })]: 2,
      [seriesKey('rescind_reconcile_orders_read_total', { provider: 'qfpay' })]: 1,
    });
    expect(deltas(before, after, 'rescind_reconcile_orders_cancelled_total')).toEqual(cancelled);
  });
});
