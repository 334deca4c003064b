/**
 * `npm run bench:paths`: every path of the cancellation workflow, one run each on a local dev
 * server + sandbox, with the figures an operator sizes a deployment by: history events, the
 * provider calls the workflow recorded (activity results), the HTTP requests the provider really
 * served (retries and in-activity polling included), and the refunds in the ledger. Prints
 * figures, asserts nothing. Timing is shortened (cadence below); counts do not depend on it.
 */
import type { Outcome, ProviderId } from '../domain/index.js';
import { resolveReview, startCancellation } from '../client/library.js';
import type { Cadence, CancellationState } from '../workflows/definitions.js';
import { startBenchStack } from './bench-stack.js';
import { printTable } from './demo.js';
import { orderRefOf } from './bench/order-ref.js';

interface Path {
  name: string;
  order: {
    provider: ProviderId;
    state: string;
    payType: string;
    amount?: number;
    payingQueries?: number;
    thenState?: string;
    createdAt?: string;
  };
  faults?: { call: string; kind: string; count?: number; codes?: string[] }[];
  /** Resolve the review with this action once the run waits for it. */
  review?: 'mark_resolved';
}

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const PATHS: Path[] = [
  ...(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const).map((provider) => ({
    name: 'unpaid → close',
    order: {
      provider,
      state: 'unpaid',
      payType: { payjs: 'native', qfpay: '800201', wechatpay: 'NATIVE', pingpp: 'wx_pub_scan' }[provider],
    },
  })),
  ...(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const).map((provider) => ({
    name: 'paid → refund',
    order: {
      provider,
      state: 'paid',
      payType: { payjs: 'native', qfpay: '800208', wechatpay: 'NATIVE', pingpp: 'alipay_qr' }[provider],
    },
  })),
  { name: 'already closed', order: { provider: 'wechatpay', state: 'closed', payType: 'NATIVE' } },
  { name: 'already refunded', order: { provider: 'qfpay', state: 'refunded', payType: '800201' } },
  {
    name: 'paying ×3 (1143) → paid → refund',
    order: { provider: 'qfpay', state: 'paying', payType: '800208', payingQueries: 3, thenState: 'paid' },
  },
  { name: 'USERPAYING past budget → reverse', order: { provider: 'wechatpay', state: 'paying', payType: 'MICROPAY' } },
  {
    name: 'query 500 ×5 (unknown) → reverse',
    order: { provider: 'qfpay', state: 'unpaid', payType: '800108' },
    faults: [{ call: 'query', kind: 'http_500', count: 5 }],
  },
  {
    name: 'unknown, window passed → review → resolved',
    order: { provider: 'qfpay', state: 'unpaid', payType: '800108', createdAt: ago(2 * DAY) },
    faults: [{ call: 'query', kind: 'http_500', count: 10_000 }],
    review: 'mark_resolved',
  },
  ...[1, 6, 24].map((n) => ({
    name: `reversal 1143/1145 ×${n} → reversed`,
    order: { provider: 'qfpay' as const, state: 'unpaid', payType: '800108' },
    faults: [{ call: 'reverse', kind: 'in_progress', count: n, codes: ['1143', '1145'] }],
  })),
  ...(['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const).map((provider) => ({
    name: 'refund applied, response lost',
    order: {
      provider,
      state: 'paid',
      payType: { payjs: 'native', qfpay: '800208', wechatpay: 'NATIVE', pingpp: 'alipay_qr' }[provider],
    },
    faults: [{ call: 'refund', kind: 'applied_response_lost', count: 1 }],
  })),
  {
    name: 'bad response signature ×2 → refund',
    order: { provider: 'wechatpay', state: 'paid', payType: 'NATIVE' },
    faults: [{ call: 'query', kind: 'bad_signature', count: 2 }],
  },
];

const CADENCE: Cadence = {
  unknownRetryDelayMs: 200,
  unknownRetryMaxDelayMs: 400,
  confirmDelayMs: 200,
  payingPollIntervalMs: 300,
  payingPollBudgetMs: 3_000,
  refundPollMs: 200,
};

async function main(): Promise<void> {
  const { client, config, admin, stop } = await startBenchStack({ RESCIND_TASK_QUEUE: 'bench-paths' });
  const rows: Record<string, string | number>[] = [];
  try {
    // One path at a time, so the sandbox's request count belongs to that run alone.
    for (const path of PATHS) {
      await admin('POST', '/reset');
      const order = await admin('POST', '/orders', { amount: 1000, ...path.order });
      for (const fault of path.faults ?? [])
        await admin('POST', '/faults', { provider: path.order.provider, ...fault });
      const { workflowId } = await startCancellation(client, config, {
        order: orderRefOf(order),
        reason: 'bench: every path',
        cadence: CADENCE,
      });
      const handle = client.workflow.getHandle(workflowId);
      if (path.review) {
        for (;;) {
          const state = await handle.query<CancellationState>('getState');
          if (state.stage === 'needs_review') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await resolveReview(client, workflowId, { action: path.review, note: 'bench: settled by hand' });
      }
      const outcome = (await handle.result()) as Outcome;
      const [description, state, requests, ledger] = await Promise.all([
        handle.describe(),
        handle.query<CancellationState>('getState'),
        admin('GET', '/requests'),
        admin('GET', '/ledger'),
      ]);
      const refunds = (ledger.entries as { kind: string }[]).filter((e) => e.kind === 'refund').length;
      rows.push({
        provider: path.order.provider,
        path: path.name,
        outcome: outcome.kind,
        events: description.historyLength,
        calls: state.totals.calls,
        requests: requests.total,
        refunds,
      });
    }
    printTable(rows);
  } finally {
    await stop();
  }
}

await main();
