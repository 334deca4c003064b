/** The shared close/reverse cases: an order in each state, twice, confirmed by a query; and reversing a paid order. */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import { readsIn } from './query-cases.js';
import type { Cancel, MoneyCounts, ProviderContract } from './spec.js';

export const CANCELS: Record<Cancel, (a: ProviderAdapter, order: OrderRef) => Promise<unknown>> = {
  close: (a, order) => a.closeOrder(order),
  reverse: (a, order) => a.reverseOrder(order),
};

/** The whole ledger of an order whose movements were all its full amount. */
export const moneyOf = (counts: MoneyCounts, amount: number) => ({
  ...counts,
  paid: counts.payments * amount,
  refunded: counts.refunds * amount,
  returned: (counts.refunds + counts.reversals) * amount,
  overReturned: 0,
});

export function describeCancelCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const tables = Object.entries(spec.cancels) as [Cancel, NonNullable<ProviderContract['cancels'][Cancel]>][];

  describe.each(tables)('%s of an order in each state', (call, table) => {
    const run = (order: OrderRef) => CANCELS[call](px.adapter(), order);
    it.each(table.rows.map((row) => [row.state, row] as const))(
      'a %s order: the answer, the same again, the query; no money moves',
      async (_state, row) => {
        const order = await px.make(row.state, { ...table.orderExtra, ...row.extra });
        const before = await px.moves(order);
        expect(await run(order)).toEqual(row.answer);
        expect(await px.stateOf(order)).toBe(row.after);
        expect(await run(order)).toEqual(row.repeat);
        expect(await px.stateOf(order)).toBe(row.after);
        expect(await px.adapter().queryOrder(order)).toEqual(readsIn(spec, row.after, order));
        expect(await px.moves(order)).toEqual(before);
        expect(before.overReturned).toBe(0);
      },
    );
  });

  it('reversing a paid order twice: the answers, the query (same provider order), and the money back at most once', async () => {
    const r = spec.reversePaid;
    const order = await px.make('paid', r.extra);
    expect(await px.adapter().reverseOrder(order)).toEqual(r.answer);
    expect(await px.adapter().reverseOrder(order)).toEqual(r.repeat);
    const seen = await px.adapter().queryOrder(order);
    expect(seen).toEqual(r.queryAfter);
    expect(seen.providerOrderId).toBe(order.providerOrderId);
    expect(await px.moves(order)).toEqual(moneyOf(r.money, order.amount!));
  });
}
