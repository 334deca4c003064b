/**
 * `npm run bench`: prints figures, asserts nothing.
 *   1. policy: decide() calls per second (the pure function every workflow step runs);
 *   2. end to end: N cancellations across the four providers on a local dev server + sandbox,
 *      with throughput, latency percentiles, history events per run and worker memory.
 * Usage: npm run bench -- [N]   (default 40)
 */
import { cancellationWorkflowId, type Observation, type OrderRef, type ProviderId } from '../domain/index.js';
import { cancelOrder } from '../workflows/cancel-order.js';
import { decide, freshMemory } from '../workflows/policy.js';
import { PROVIDER_RULES } from '../workflows/rules.js';
import { startBenchStack } from './bench-stack.js';

function benchPolicy(): void {
  const order: OrderRef = {
    provider: 'qfpay',
    merchantId: 'm',
    orderId: 'o',
    amount: 100,
    payType: '800208',
    createdAt: new Date().toISOString(),
  };
  const observations: Observation[] = [
    { status: 'paid', providerCode: '0000', amount: 100 },
    { status: 'unpaid', providerCode: '1143' },
    { status: 'unknown', providerCode: 'x', reason: 'bad signature' },
    { status: 'closed', providerCode: '1142', reason: 'closed' },
  ];
  const n = 1_000_000;
  const memory = freshMemory();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) decide(PROVIDER_RULES.qfpay, order, observations[i % 4]!, memory, Date.now());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `policy   decide(): ${Math.round(n / seconds).toLocaleString('en')} calls/s (${n.toLocaleString('en')} calls in ${seconds.toFixed(2)} s)`,
  );
}

const PLAN: { provider: ProviderId; state: string; payType: string }[] = [
  { provider: 'payjs', state: 'paid', payType: 'native' },
  { provider: 'qfpay', state: 'unpaid', payType: '800201' },
  { provider: 'wechatpay', state: 'paid', payType: 'NATIVE' },
  { provider: 'pingpp', state: 'unpaid', payType: 'wx_pub_scan' },
];

/** Provider timing shortened so a run measures Rescind, not the providers' polling budgets. */
const BENCH_CADENCE = { confirmDelayMs: 200, refundPollMs: 200, payingPollIntervalMs: 200, payingPollBudgetMs: 1_000 };

async function benchEndToEnd(n: number): Promise<void> {
  const { client, config, sandboxUrl, stop } = await startBenchStack({
    RESCIND_TASK_QUEUE: 'bench',
    PAYJS_MAX_RPS: '1000',
    QFPAY_MAX_RPS: '1000',
    WECHATPAY_MAX_RPS: '1000',
    PINGPP_MAX_RPS: '1000',
  });
  try {
    const orders = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const plan = PLAN[i % PLAN.length]!;
        const res = await fetch(`${sandboxUrl}/_admin/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...plan, amount: 1000 + i }),
        });
        return {
          plan,
          order: (await res.json()) as {
            merchantId: string;
            orderId: string;
            providerOrderId: string;
            amount: number;
            createdAt: string;
          },
        };
      }),
    );
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const latencies = await Promise.all(
      orders.map(async ({ plan, order }) => {
        const t0 = Date.now();
        const handle = await client.workflow.start(cancelOrder, {
          taskQueue: config.taskQueue,
          workflowId: cancellationWorkflowId(plan.provider, order.merchantId, order.orderId),
          args: [
            {
              order: {
                provider: plan.provider,
                merchantId: order.merchantId,
                orderId: order.orderId,
                providerOrderId: order.providerOrderId,
                amount: order.amount,
                payType: plan.payType,
                createdAt: order.createdAt,
              },
              cadence: BENCH_CADENCE,
            },
          ],
        });
        await handle.result();
        return { ms: Date.now() - t0, events: (await handle.describe()).historyLength };
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    const ledger = (await (await fetch(`${sandboxUrl}/_admin/ledger`)).json()) as { overReturned: unknown[] };
    console.log(
      `e2e      ${n} cancellations in ${seconds.toFixed(1)} s = ${(n / seconds).toFixed(1)}/s; latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${sorted.at(-1)} ms`,
    );
    console.log(
      `e2e      history events per run: min ${Math.min(...latencies.map((l) => l.events))}, max ${Math.max(...latencies.map((l) => l.events))}`,
    );
    console.log(
      `e2e      process RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after; ledger over-returned orders: ${ledger.overReturned.length}`,
    );
  } finally {
    await stop();
  }
}

const n = Number(process.argv[2] ?? 40);
benchPolicy();
await benchEndToEnd(n);
