/**
 * The demo `npm start` runs: a batch of sandbox orders across all four providers and the states
 * that matter (unpaid, paying, paid, already closed, already refunded), each cancelled by its own
 * workflow, then a table of outcomes with the history size and provider calls of each run.
 */
import type { Client } from '@temporalio/client';
import type { Outcome, ProviderId } from '../domain/index.js';
import { startCancellation } from '../client/library.js';
import type { Config } from '../worker/config.js';
import type { Cadence, CancellationState } from '../workflows/definitions.js';

interface DemoOrder {
  provider: ProviderId;
  state: string;
  payType: string;
  amount: number;
  payingQueries?: number;
  thenState?: 'paid' | 'unpaid';
}

export const DEMO_ORDERS: DemoOrder[] = [
  { provider: 'payjs', state: 'unpaid', payType: 'native', amount: 1200 },
  { provider: 'payjs', state: 'paid', payType: 'native', amount: 1500 },
  { provider: 'payjs', state: 'unpaid', payType: 'micropay', amount: 800 },
  { provider: 'qfpay', state: 'unpaid', payType: '800201', amount: 2500 },
  { provider: 'qfpay', state: 'paid', payType: '800208', amount: 3000 },
  { provider: 'qfpay', state: 'paying', payType: '800208', amount: 990, payingQueries: 3, thenState: 'unpaid' },
  { provider: 'qfpay', state: 'refunded', payType: '800201', amount: 1000 },
  { provider: 'wechatpay', state: 'unpaid', payType: 'NATIVE', amount: 4200 },
  { provider: 'wechatpay', state: 'paying', payType: 'MICROPAY', amount: 1800, payingQueries: 2, thenState: 'paid' },
  { provider: 'wechatpay', state: 'closed', payType: 'NATIVE', amount: 600 },
  { provider: 'pingpp', state: 'unpaid', payType: 'wx_pub_scan', amount: 5000 },
  { provider: 'pingpp', state: 'paid', payType: 'alipay_qr', amount: 7300 },
];

/** Seconds instead of minutes, so the demo ends while you watch. */
const DEMO_CADENCE: Cadence = {
  unknownRetryDelayMs: 1_000,
  confirmDelayMs: 1_000,
  payingPollIntervalMs: 1_000,
  payingPollBudgetMs: 8_000,
  refundPollMs: 1_000,
};

export async function runDemo(options: {
  client: Client;
  config: Config;
  sandboxUrl: string;
  uiUrl?: string;
}): Promise<void> {
  const { client, config, sandboxUrl } = options;
  console.log(`[demo] creating ${DEMO_ORDERS.length} sandbox orders and cancelling each one...`);
  const runs = await Promise.all(
    DEMO_ORDERS.map(async (demo) => {
      const res = await fetch(`${sandboxUrl}/_admin/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(demo),
      });
      if (!res.ok) throw new Error(`sandbox refused demo order: ${res.status} ${await res.text()}`);
      const order = (await res.json()) as {
        merchantId: string;
        orderId: string;
        providerOrderId: string;
        createdAt: string;
        currency: string;
      };
      const started = await startCancellation(client, config, {
        order: {
          provider: demo.provider,
          merchantId: order.merchantId,
          orderId: order.orderId,
          providerOrderId: order.providerOrderId,
          amount: demo.amount,
          currency: order.currency,
          payType: demo.payType,
          createdAt: order.createdAt,
        },
        reason: 'demo: payment timed out',
        requestedBy: 'npm start demo',
        cadence: DEMO_CADENCE,
      });
      return { demo, orderId: order.orderId, handle: client.workflow.getHandle(started.workflowId) };
    }),
  );

  const rows = await Promise.all(
    runs.map(async ({ demo, orderId, handle }) => {
      const outcome = (await handle.result()) as Outcome;
      const [description, state] = await Promise.all([handle.describe(), handle.query<CancellationState>('getState')]);
      return {
        provider: demo.provider,
        payType: demo.payType,
        state: demo.state,
        orderId,
        outcome: outcome.kind,
        events: description.historyLength,
        calls: state.totals.calls,
      };
    }),
  );
  printTable(rows);
  const ledger = (await (await fetch(`${sandboxUrl}/_admin/ledger`)).json()) as { overReturned: unknown[] };
  console.log(`[demo] sandbox ledger: ${ledger.overReturned.length} orders with more money returned than paid`);
  if (options.uiUrl)
    console.log(
      `[demo] every run is in the Temporal UI: ${options.uiUrl}/namespaces/${config.temporal.namespace}/workflows`,
    );
}

export function printTable(rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0] ?? {});
  const width = (c: string) => Math.max(c.length, ...rows.map((r) => String(r[c]).length));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(width(columns[i]!))).join('  ');
  console.log(line(columns));
  console.log(line(columns.map((c) => '-'.repeat(width(c)))));
  for (const r of rows) console.log(line(columns.map((c) => String(r[c]))));
}
