/** The shared "our own mistake" cases: calls not offered, credentials the provider refuses, a wrong base URL. */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef } from '../../../../domain/index.js';
import { settle } from './outcomes.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import { fullRefund } from './refund-cases.js';
import { CALLS, type Call, type ProviderContract } from './spec.js';

export function describeMistakeCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const CALL: Record<Call, (a: ProviderAdapter, order: OrderRef) => Promise<unknown>> = {
    query: (a, order) => a.queryOrder(order),
    close: (a, order) => a.closeOrder(order),
    reverse: (a, order) => a.reverseOrder(order),
    refund: (a, order) => a.refundOrder(order, fullRefund(spec, order)),
    queryRefund: (a, order) => a.queryRefund(order, spec.refundKey(order, 1)),
  };
  const offered = CALLS.filter((call) => !spec.notSupported.includes(call));
  const writes = offered.filter((call) => call !== 'query' && call !== 'queryRefund');

  describe('our own mistakes', () => {
    it.each(CALLS.map((call) => [call, !spec.notSupported.includes(call)] as const))(
      '%s offered: %s (otherwise it throws not_supported)',
      async (call, isOffered) => {
        const order = await px.make('paid');
        const outcome = await settle(CALL[call](px.adapter(), order));
        expect('thrown' in outcome && outcome.thrown.type === 'not_supported').toBe(!isOffered);
        expect(await px.moves(order)).toMatchObject({ overReturned: 0 });
      },
    );

    it.each(spec.wrongSecrets.map((s) => [s.name, s] as const))(
      '%s: every offered call is refused as our mistake, and nothing moves',
      async (_name, wrong) => {
        const adapter = px.adapter(wrong.config);
        const order = await px.make('paid', spec.reversePaid.extra);
        for (const call of offered) expect(await settle(CALL[call](adapter, order))).toEqual(wrong.refusedAs);
        expect(await px.moves(order)).toEqual({
          payments: 1,
          paid: order.amount,
          refunds: 0,
          refunded: 0,
          reversals: 0,
          returned: 0,
          overReturned: 0,
        });
      },
    );

    it('a wrong base URL (HTTP 404) is not an answer', async () => {
      const lost = px.adapter({ baseUrl: `${px.sb.sandbox.url}/nowhere` } as Partial<C>);
      const order = await px.make('paid', spec.reversePaid.extra);
      expect(await lost.queryOrder(order)).toEqual(spec.wrongBaseUrl.query);
      for (const call of writes) expect(await settle(CALL[call](lost, order))).toEqual(spec.wrongBaseUrl.write);
      expect(await px.moves(order)).toMatchObject({ refunds: 0, reversals: 0 });
    });
  });
}
