/** The shared query cases: every sandbox state, paid time, paying, orders not ours or never seen, query faults. */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { OrderRef } from '../../../../domain/index.js';
import { ORDER_STATES, type OrderState } from '../../../../sandbox/store.js';
import { FAULT_HOLD, FAULT_TYPES, faultBudgetMs, letFaultFinish, like, TRANSPORT_KINDS } from './outcomes.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import type { ProviderContract } from './spec.js';

/** What a query of this order reads while the sandbox holds it in `state`. */
export function readsIn<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  state: OrderState,
  order: OrderRef,
): unknown {
  const echoed = Object.fromEntries(spec.query.echoes.map((field) => [field, order[field]]));
  return like({ ...spec.query.byState[state], ...echoed, amount: order.amount });
}

export function describeQueryCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const query = (order: OrderRef, timeoutMs?: number) => px.adapter({}, timeoutMs).queryOrder(order);

  describe('query', () => {
    it.each(ORDER_STATES)('a %s order reads as the provider shows it', async (state) => {
      const order = await px.make(state, spec.query.orderExtra);
      expect(await query(order)).toEqual(readsIn(spec, state, order));
    });

    it('a paid order carries its provider order id and paid time', async () => {
      const order = await px.make('paid');
      const seen = await query(order);
      expect(seen).toEqual(
        like({
          status: 'paid',
          providerOrderId: order.providerOrderId,
          paidAt: expect.stringMatching(spec.query.paidAt.format ?? /./),
        }),
      );
      expect(Math.abs(Date.parse((seen as { paidAt: string }).paidAt) - Date.now())).toBeLessThan(
        spec.query.paidAt.withinMs,
      );
    });

    it(`an order still being paid reads as ${spec.query.whilePaying.reads}, then paid`, async () => {
      const order = await px.make('paying', { payingQueries: 1, thenState: 'paid', ...spec.query.whilePaying.extra });
      expect(await query(order)).toEqual(like({ status: spec.query.whilePaying.reads }));
      expect(await query(order)).toEqual(like({ status: 'paid' }));
    });

    it('an order the provider never saw is never read as unpaid or paid', async () => {
      const order = await px.make('paid');
      expect(await query(spec.query.neverSeen.ref(order))).toEqual(spec.query.neverSeen.reads);
    });

    it("another order's answer is unknown, never paid", async () => {
      const order = await px.make('paid');
      expect(await query({ ...order, orderId: 'SOMEONE-ELSE' })).toEqual(spec.query.foreignOrder);
    });

    it.each(TRANSPORT_KINDS)('fault %s is thrown, and the next query answers', async (kind) => {
      const order = await px.make('paid');
      await px.fault('query', kind, { holdMs: FAULT_HOLD[kind].holdMs });
      await expect(query(order, faultBudgetMs(kind))).rejects.toMatchObject({ type: FAULT_TYPES[kind] });
      await letFaultFinish(kind);
      expect(await query(order)).toEqual(like({ status: 'paid' }));
    });

    it('an answer with a bad signature is not believed, never paid', async () => {
      const order = await px.make('paid');
      await px.fault('query', 'bad_signature');
      expect(await query(order)).toEqual(spec.query.badSignature);
    });

    it('the provider\'s "in progress" answer on a paid order is never read as paid', async () => {
      const order = await px.make('paid');
      await px.fault('query', 'in_progress', { codes: spec.query.inProgress.codes });
      expect(await query(order)).toEqual(spec.query.inProgress.reads);
    });
  });
}
