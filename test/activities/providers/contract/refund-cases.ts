/** The shared refund cases: a full refund exactly once under one key; orders with nothing to refund; the refund query. */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { OrderRef, RefundRequest } from '../../../../domain/index.js';
import { moneyOf } from './cancel-cases.js';
import { FAULT_HOLD, FAULT_TYPES, faultBudgetMs, letFaultFinish, like, settle } from './outcomes.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import type { ProviderContract } from './spec.js';

export const fullRefund = (spec: Pick<ProviderContract, 'refundKey'>, order: OrderRef, n = 1): RefundRequest => ({
  refundKey: spec.refundKey(order, n),
  amount: order.amount!,
  totalAmount: order.amount!,
});

export function describeRefundCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const refund = (order: OrderRef) => px.adapter().refundOrder(order, fullRefund(spec, order));

  describe('refund', () => {
    it('a paid order is refunded in full once; the same key again moves nothing', async () => {
      const order = await px.make('paid');
      const first = await refund(order);
      expect(first).toEqual(spec.refund.first);
      expect(await refund(order)).toEqual(spec.refund.repeat(first));
      expect(await px.moves(order)).toEqual(moneyOf({ payments: 1, refunds: 1, reversals: 0 }, order.amount!));
      expect(await px.stateOf(order)).toBe('refunded');
      expect(await px.adapter().queryOrder(order)).toEqual(spec.refund.queryAfter);
      expect(await settle(px.adapter().queryRefund(order, spec.refundKey(order, 1)))).toEqual(
        spec.refund.refundQueryAfter(first),
      );
    });

    it.each(spec.refundRefused)('a %s order has nothing to refund: nothing moves', async (state, outcome) => {
      const order = await px.make(state);
      const before = await px.moves(order);
      expect(await settle(refund(order))).toEqual(outcome);
      expect(await px.moves(order)).toEqual(before);
      expect(before.overReturned).toBe(0);
    });
  });

  const refundQuery = spec.refundQuery;
  if (!refundQuery) return;
  describe('refund query', () => {
    const refunded = async () => {
      const order = await px.make('paid');
      await refund(order);
      return order;
    };
    const ask = (order: OrderRef, timeoutMs?: number) =>
      px.adapter({}, timeoutMs).queryRefund(order, spec.refundKey(order, 1));

    it.each(refundQuery.kinds)('fault %s is thrown, and the next refund query answers', async (kind) => {
      const order = await refunded();
      await px.fault('queryRefund', kind, { holdMs: FAULT_HOLD[kind].holdMs });
      await expect(ask(order, faultBudgetMs(kind))).rejects.toMatchObject({ type: FAULT_TYPES[kind] });
      await letFaultFinish(kind);
      expect(await ask(order)).toEqual(like({ status: 'succeeded' }));
    });

    it('a succeeded refund under the in_progress fault reads as the provider shows it, never failed', async () => {
      const order = await refunded();
      await px.fault('queryRefund', 'in_progress');
      expect(await ask(order)).toEqual(refundQuery.inProgress);
    });

    it('a key never used is not found', async () => {
      const order = await refunded();
      expect(await px.adapter().queryRefund(order, spec.refundKey(order, 9))).toEqual(refundQuery.unknownKey);
    });
  });
}
