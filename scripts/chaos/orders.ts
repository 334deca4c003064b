/**
 * The chaos run's orders: a seeded mix across the four providers and the starting states that
 * matter, created in the sandbox (or, for "missing", an order the provider has never seen), and
 * the cancellation request for each.
 */
import { cancellationWorkflowId, type OrderRef, type ProviderId } from '../../domain/index.js';
import type { Cadence, CancellationRequest } from '../../workflows/definitions.js';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import type { Random } from './random.js';
import type { SandboxAdmin, AdminOrder } from './sandbox-admin.js';

export const START_STATES = ['unpaid', 'paid', 'paying', 'closed', 'refunded', 'missing'] as const;
export type StartState = (typeof START_STATES)[number];

/** The pay types per provider: some cancelled by close, some by reverse (docs/policy.md, per-provider rules). */
const PAY_TYPES: Record<ProviderId, readonly string[]> = {
  payjs: ['native', 'micropay'],
  qfpay: ['800201', '800208', '800108'],
  wechatpay: ['NATIVE', 'MICROPAY'],
  pingpp: ['wx_pub_scan', 'alipay_qr'],
};

/**
 * Which starting states each provider can show. PAYJS queries only by its own order id and answers
 * nothing for an unknown one, so it has no "missing" orders; only QFPay and WeChat Pay have a
 * documented "still paying" answer.
 */
const STATES: Record<ProviderId, readonly (readonly [StartState, number])[]> = {
  payjs: [
    ['unpaid', 35],
    ['paid', 35],
    ['closed', 15],
    ['refunded', 15],
  ],
  qfpay: [
    ['unpaid', 30],
    ['paid', 30],
    ['paying', 10],
    ['closed', 10],
    ['refunded', 10],
    ['missing', 10],
  ],
  wechatpay: [
    ['unpaid', 30],
    ['paid', 30],
    ['paying', 10],
    ['closed', 10],
    ['refunded', 10],
    ['missing', 10],
  ],
  pingpp: [
    ['unpaid', 30],
    ['paid', 35],
    ['closed', 10],
    ['refunded', 15],
    ['missing', 10],
  ],
};

/** Seconds instead of minutes, so a run under chaos ends while you watch. */
export const CHAOS_CADENCE: Cadence = {
  unknownRetryDelayMs: 300,
  unknownRetryMaxDelayMs: 1_000,
  confirmDelayMs: 300,
  payingPollIntervalMs: 300,
  payingPollBudgetMs: 3_000,
  refundPollMs: 300,
};

export interface PlannedOrder {
  index: number;
  provider: ProviderId;
  state: StartState;
  payType: string;
  amount: number;
  /** For "paying": queries that answer paying, then what the customer did. */
  payingQueries?: number;
  thenState?: 'paid' | 'unpaid';
}

/** The order as created, with its workflow id. */
export interface ChaosOrder {
  plan: PlannedOrder;
  ref: OrderRef;
  workflowId: string;
}

export function planOrders(random: Random, count: number): PlannedOrder[] {
  const providers = SIMULATORS.map((s) => s.id);
  return Array.from({ length: count }, (_, index) => {
    const provider = random.pick(providers);
    const state = random.weighted(STATES[provider]);
    const payType = random.pick(PAY_TYPES[provider]);
    const amount = random.int(1, 2_000) * 10;
    if (state !== 'paying') return { index, provider, state, payType, amount };
    const thenState = random.pick(['paid', 'unpaid'] as const);
    return { index, provider, state, payType, amount, payingQueries: random.int(1, 3), thenState };
  });
}

/** Create the planned orders in the sandbox; a "missing" order gets a reference the provider never issued. */
export async function createOrders(admin: SandboxAdmin, plans: PlannedOrder[], runTag: string): Promise<ChaosOrder[]> {
  const orders: ChaosOrder[] = [];
  for (const plan of plans) {
    const ref = plan.state === 'missing' ? missingOrder(plan, runTag) : toRef(await createInSandbox(admin, plan));
    orders.push({ plan, ref, workflowId: cancellationWorkflowId(ref.provider, ref.merchantId, ref.orderId) });
  }
  return orders;
}

export function cancellationRequest(order: ChaosOrder): CancellationRequest {
  return { order: order.ref, reason: 'chaos run', requestedBy: 'npm run chaos', cadence: CHAOS_CADENCE };
}

async function createInSandbox(admin: SandboxAdmin, plan: PlannedOrder): Promise<AdminOrder> {
  const { provider, state, payType, amount, payingQueries, thenState } = plan;
  return admin.call<AdminOrder>('POST', '/orders', { provider, state, payType, amount, payingQueries, thenState });
}

const toRef = (o: AdminOrder): OrderRef => ({
  provider: o.provider,
  merchantId: o.merchantId,
  orderId: o.orderId,
  providerOrderId: o.providerOrderId,
  amount: o.amount,
  currency: o.currency,
  payType: o.payType,
  createdAt: o.createdAt,
});

function missingOrder(plan: PlannedOrder, runTag: string): OrderRef {
  const identity = SIMULATORS.find((s) => s.id === plan.provider)!.identity;
  return {
    provider: plan.provider,
    merchantId: identity.defaultMerchantId,
    orderId: `CHAOSNF${runTag}${plan.index}`,
    // Ping++ finds a charge only by its id: a well-formed id it never issued.
    ...(plan.provider === 'pingpp' ? { providerOrderId: identity.newProviderOrderId() } : {}),
    amount: plan.amount,
    currency: identity.defaultCurrency,
    payType: plan.payType,
    createdAt: new Date().toISOString(),
  };
}
