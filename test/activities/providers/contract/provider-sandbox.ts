/**
 * One provider's view of a real sandbox for a contract test file: it starts before the file's tests,
 * clears faults and the unconfirmed-behaviour switches after each test, and stops at the end.
 */
import type { ProviderConfigBase, ProviderDescriptor } from '../../../../activities/providers/descriptor.js';
import type { ProviderAdapter } from '../../../../activities/providers/provider.js';
import type { OrderRef, ProviderId } from '../../../../domain/index.js';
import type { FaultKind, SandboxCall } from '../../../../sandbox/faults.js';
import type { OrderState } from '../../../../sandbox/store.js';
import {
  createSandboxOrder,
  moneyMoves,
  orderRefOf,
  sandboxOrder,
  type MoneyMoves,
  type SandboxOrderView,
} from '../../../helpers/sandbox-orders.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';
import { ADAPTER_TIMEOUT_MS } from './outcomes.js';
import type { OrderExtra } from './spec.js';

export interface ProviderSandbox<C extends ProviderConfigBase> {
  readonly provider: ProviderId;
  /** The running sandbox (valid inside tests). */
  readonly sb: TestSandbox;
  /** The provider's config pointing at the sandbox. */
  readonly config: C;
  /** The adapter from the provider's descriptor, with config overrides and a request budget (ADAPTER_TIMEOUT_MS). */
  adapter(over?: Partial<C>, timeoutMs?: number): ProviderAdapter;
  /** Create a sandbox order; the OrderRef is what a caller would hold. */
  make(state: OrderState, extra?: OrderExtra): Promise<OrderRef>;
  view(order: OrderRef): Promise<SandboxOrderView>;
  stateOf(order: OrderRef): Promise<OrderState>;
  moves(order: OrderRef): Promise<MoneyMoves>;
  fault(
    call: SandboxCall,
    kind: FaultKind,
    extra?: { count?: number; codes?: string[]; holdMs?: number },
  ): Promise<void>;
}

export interface OrderDefaults {
  amount: number;
  payType?: string;
  providerOrderIdKnown: 'always' | 'once_paid';
}

export function useProviderSandbox<C extends ProviderConfigBase>(
  descriptor: ProviderDescriptor<ProviderId, C>,
  defaults: OrderDefaults,
): ProviderSandbox<C> {
  let running: TestSandbox | undefined;
  beforeAll(async () => {
    running = await startTestSandbox();
  });
  afterAll(async () => running?.close());
  afterEach(async () => {
    await running!.admin('DELETE', '/settings');
    await running!.admin('DELETE', '/faults');
  });

  const provider = descriptor.id;
  const px: ProviderSandbox<C> = {
    provider,
    get sb() {
      if (!running) throw new Error('the sandbox runs only inside tests');
      return running;
    },
    get config() {
      return (px.sb.config.providers as Partial<Record<ProviderId, ProviderConfigBase>>)[provider] as C;
    },
    adapter: (over = {}, timeoutMs = ADAPTER_TIMEOUT_MS) =>
      descriptor.createAdapter({ ...px.config, ...over }, { timeoutMs }),
    make: async (state, extra = {}) => {
      const view = await createSandboxOrder(px.sb, {
        provider,
        state,
        amount: defaults.amount,
        payType: defaults.payType,
        ...extra,
      });
      return orderRefOf(view, { providerOrderId: defaults.providerOrderIdKnown });
    },
    view: (order) => sandboxOrder(px.sb, provider, order.orderId),
    stateOf: async (order) => (await px.view(order)).state,
    moves: (order) => moneyMoves(px.sb, order),
    fault: async (call, kind, extra = {}) => {
      await px.sb.admin('POST', '/faults', { provider, call, kind, ...extra });
    },
  };
  return px;
}
