/**
 * The shared write-fault cases: each close, reverse or refund meets each transport and trust fault;
 * the retry settles it, and the ledger shows the money moved exactly once.
 */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { CANCELS, moneyOf } from './cancel-cases.js';
import { APPLIED_KINDS, FAULT_HOLD, FAULT_TYPES, faultBudgetMs, letFaultFinish, like } from './outcomes.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import { fullRefund } from './refund-cases.js';
import type { ProviderContract, Write, WriteFaultCase } from './spec.js';

export function describeWriteFaultCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const WRITES: Record<Write, (a: ProviderAdapter, order: OrderRef) => Promise<unknown>> = {
    ...CANCELS,
    refund: (a, order) => a.refundOrder(order, fullRefund(spec, order)),
  };
  const cases = Object.entries(spec.writeFaults) as [Write, WriteFaultCase][];

  describe.each(cases)('faults on %s', (call, w) => {
    const run = (order: OrderRef, timeoutMs?: number) => WRITES[call](px.adapter({}, timeoutMs), order);
    const rows = w.kinds.map((kind) => [kind, FAULT_TYPES[kind], APPLIED_KINDS.includes(kind)] as const);

    it.each(rows)(
      '%s is thrown as %s (applied: %s); the retry settles it and money moves at most once',
      async (kind, type, applied) => {
        const order = await px.make(w.state, w.extra);
        const before = await px.moves(order);
        const once = moneyOf(w.money, order.amount!);
        await px.fault(call, kind, { holdMs: FAULT_HOLD[kind].holdMs });
        await expect(run(order, faultBudgetMs(kind))).rejects.toMatchObject({ type });
        await letFaultFinish(kind);
        expect(await px.stateOf(order)).toBe(applied ? w.applied : w.state);
        expect(await px.moves(order)).toEqual(applied ? once : before);
        expect(await run(order)).toEqual(like({ result: applied ? w.afterApplied : w.afterNothing }));
        expect(await run(order)).toEqual(like({ result: w.afterApplied }));
        expect(await px.stateOf(order)).toBe(w.applied);
        expect(await px.moves(order)).toEqual(once);
      },
    );
  });
}
