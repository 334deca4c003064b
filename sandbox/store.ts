// Over 250 lines: one state machine for orders and money, kept together so every movement passes the ledger.
/**
 * The sandbox's order book and money ledger, shared by the four provider simulators.
 *
 * Orders move through one state machine whatever the provider; every movement of money
 * (payment, money returned by a reversal, refund) is written to the ledger, so a double refund
 * shows up as an order whose returned total exceeds what was paid.
 */
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../domain/index.js';
import type {
  LedgerEntry,
  LedgerOrderSummary,
  NewOrder,
  OrderState,
  ProviderIdentity,
  SandboxOrder,
  SandboxRefund,
} from './orders.js';

export * from './orders.js';

const key = (provider: ProviderId, merchantId: string, orderId: string): string =>
  `${provider}|${merchantId}|${orderId}`;

export class SandboxStore {
  private orders = new Map<string, SandboxOrder>();
  private ledger: LedgerEntry[] = [];
  private seq = 0;

  constructor(private readonly identities: Partial<Record<ProviderId, ProviderIdentity>>) {}

  identity(provider: ProviderId): ProviderIdentity {
    const identity = this.identities[provider];
    if (!identity) throw new Error(`provider ${provider} is not simulated`);
    return identity;
  }

  create(input: NewOrder): SandboxOrder {
    const identity = this.identity(input.provider);
    const merchantId = input.merchantId ?? identity.defaultMerchantId;
    const orderId = input.orderId ?? `R${Date.now()}${randomBytes(4).toString('hex').toUpperCase()}`;
    if (this.orders.has(key(input.provider, merchantId, orderId))) {
      throw new Error(`order ${orderId} already exists for ${input.provider} merchant ${merchantId}`);
    }
    const order: SandboxOrder = {
      provider: input.provider,
      merchantId,
      orderId,
      providerOrderId: input.providerOrderId ?? identity.newProviderOrderId(),
      amount: input.amount,
      currency: input.currency ?? identity.defaultCurrency,
      payType: input.payType ?? identity.defaultPayType,
      state: 'unpaid',
      createdAt: input.createdAt ?? new Date(),
      reversedAfterPayment: false,
      refunds: [],
      payingQueriesLeft: input.payingQueries ?? 0,
      thenState: input.thenState ?? 'paid',
      refundProcessingQueries: input.refundProcessingQueries ?? 0,
      extra: input.extra ?? {},
    };
    this.orders.set(key(order.provider, merchantId, orderId), order);
    this.bringTo(order, input.state);
    return order;
  }

  /** Put a new order into its starting state, recording the money a paid start implies. */
  private bringTo(order: SandboxOrder, state: OrderState): void {
    if (state === 'paying' && order.payingQueriesLeft === 0) order.payingQueriesLeft = Number.MAX_SAFE_INTEGER;
    if (['paid', 'refunded', 'partially_refunded'].includes(state)) this.markPaid(order);
    order.state = state;
    if (state === 'refunded') this.addRefund(order, order.amount, { refundKey: 'preexisting', status: 'succeeded' });
    if (state === 'partially_refunded')
      this.addRefund(order, Math.floor(order.amount / 2), { refundKey: 'preexisting', status: 'succeeded' });
    if (state === 'closed' || state === 'expired' || state === 'reversed') order.closedAt = new Date();
  }

  get(provider: ProviderId, merchantId: string, orderId: string): SandboxOrder | undefined {
    return this.orders.get(key(provider, merchantId, orderId));
  }

  /** Find by merchant order id in any merchant scope (providers whose calls carry no merchant id). */
  findByOrderId(provider: ProviderId, orderId: string): SandboxOrder | undefined {
    return this.list(provider).find((o) => o.orderId === orderId);
  }

  findByProviderOrderId(provider: ProviderId, providerOrderId: string): SandboxOrder | undefined {
    return this.list(provider).find((o) => o.providerOrderId === providerOrderId);
  }

  findRefund(
    provider: ProviderId,
    predicate: (r: SandboxRefund, o: SandboxOrder) => boolean,
  ): { order: SandboxOrder; refund: SandboxRefund } | undefined {
    for (const order of this.list(provider)) {
      const refund = order.refunds.find((r) => predicate(r, order));
      if (refund) return { order, refund };
    }
    return undefined;
  }

  list(provider?: ProviderId): SandboxOrder[] {
    return [...this.orders.values()].filter((o) => !provider || o.provider === provider);
  }

  /**
   * What a query sees now. A `paying` order answers paying while its countdown lasts, then
   * settles into `thenState` (the customer finished or abandoned paying).
   */
  observe(order: SandboxOrder): SandboxOrder {
    const lag = order.lagging;
    if (lag && lag.queries > 0) {
      lag.queries -= 1;
      return { ...order, state: lag.shows, paidAt: undefined, closedAt: lag.closedAt };
    }
    if (order.state === 'paying') {
      if (order.payingQueriesLeft > 0) order.payingQueriesLeft -= 1;
      else if (order.thenState === 'paid') this.pay(order);
      else order.state = 'unpaid';
    }
    return order;
  }

  /** The customer pays now (admin action, or a paying countdown ending). Returns false if not payable. */
  pay(order: SandboxOrder): boolean {
    if (order.state !== 'unpaid' && order.state !== 'paying') return false;
    this.markPaid(order);
    order.state = 'paid';
    return true;
  }

  /**
   * The customer's payment lands after a close or reverse was accepted: the wallet race real providers have (the
   * wallet had already taken the money, or finished paying while the close was on its way). An order that ended
   * without money becomes paid and the payment goes into the ledger. Returns false for any other order.
   */
  payAfterClose(order: SandboxOrder, queryLag = 0): boolean {
    const ended = order.state === 'closed' || order.state === 'expired' || order.state === 'reversed';
    if (!ended || order.paidAt || order.reversedAfterPayment) return false;
    if (queryLag > 0) order.lagging = { queries: queryLag, shows: order.state, closedAt: order.closedAt };
    this.markPaid(order);
    order.state = 'paid';
    order.closedAt = undefined;
    return true;
  }

  close(order: SandboxOrder, state: 'closed' | 'expired' | 'failed' = 'closed'): void {
    order.state = state;
    order.closedAt = new Date();
    this.landArmedPayment(order);
  }

  /**
   * The wallet race on demand: the next accepted close or reverse of `order` is followed at once by the customer's
   * payment (as payAfterClose, the next `queryLag` queries still showing the order closed), and `landed` is told.
   */
  armPaymentAfterClose(order: SandboxOrder, queryLag: number, landed: (order: SandboxOrder) => void): void {
    order.payAfterNextClose = { queryLag, landed };
  }

  private landArmedPayment(order: SandboxOrder): void {
    const armed = order.payAfterNextClose;
    if (!armed) return;
    order.payAfterNextClose = undefined;
    if (this.payAfterClose(order, armed.queryLag)) armed.landed(order);
  }

  /** Reverse: an unpaid order is closed; a paid one has its money returned in full. */
  reverse(order: SandboxOrder): void {
    if (order.state === 'paid') {
      order.reversedAfterPayment = true;
      this.record(order, 'reversal_return', order.amount - this.refunded(order), `reverse:${order.providerOrderId}`);
    }
    order.state = 'reversed';
    order.closedAt = new Date();
    this.landArmedPayment(order);
  }

  refunded(order: SandboxOrder): number {
    return order.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
  }

  refundable(order: SandboxOrder): number {
    return order.amount - this.refunded(order);
  }

  /**
   * Record a refund. Money is committed when the refund is accepted: a processing refund will
   * be paid out, so a second one for the same intent is already a double refund.
   */
  addRefund(
    order: SandboxOrder,
    amount: number,
    options: { refundKey?: string; status?: SandboxRefund['status']; extra?: Record<string, unknown> } = {},
  ): SandboxRefund {
    const status = options.status ?? (order.refundProcessingQueries > 0 ? 'processing' : 'succeeded');
    const refund: SandboxRefund = {
      refundId: this.identity(order.provider).newRefundId(),
      refundKey: options.refundKey,
      amount,
      status,
      createdAt: new Date(),
      succeededAt: status === 'succeeded' ? new Date() : undefined,
      extra: options.extra ?? {},
    };
    order.refunds.push(refund);
    this.record(order, 'refund', amount, refund.refundId);
    order.state = this.refunded(order) >= order.amount ? 'refunded' : 'partially_refunded';
    return refund;
  }

  /** A refund query: a processing refund succeeds once its countdown runs out. */
  observeRefund(order: SandboxOrder, refund: SandboxRefund): SandboxRefund {
    if (refund.status === 'processing') {
      if (order.refundProcessingQueries > 0) order.refundProcessingQueries -= 1;
      if (order.refundProcessingQueries === 0) {
        refund.status = 'succeeded';
        refund.succeededAt = new Date();
      }
    }
    return refund;
  }

  private markPaid(order: SandboxOrder): void {
    order.paidAt = order.paidAt ?? new Date();
    this.record(order, 'payment', order.amount, `pay:${order.providerOrderId}`);
  }

  private record(order: SandboxOrder, kind: LedgerEntry['kind'], amount: number, reference: string): void {
    this.seq += 1;
    this.ledger.push({
      seq: this.seq,
      at: new Date().toISOString(),
      provider: order.provider,
      merchantId: order.merchantId,
      orderId: order.orderId,
      kind,
      amount,
      reference,
    });
  }

  ledgerEntries(): LedgerEntry[] {
    return [...this.ledger];
  }

  ledgerSummary(): LedgerOrderSummary[] {
    const byOrder = new Map<string, LedgerOrderSummary>();
    for (const e of this.ledger) {
      const k = key(e.provider, e.merchantId, e.orderId);
      const s = byOrder.get(k) ?? {
        provider: e.provider,
        merchantId: e.merchantId,
        orderId: e.orderId,
        paid: 0,
        returned: 0,
        refundCount: 0,
        overReturned: false,
      };
      if (e.kind === 'payment') s.paid += e.amount;
      else s.returned += e.amount;
      if (e.kind === 'refund') s.refundCount += 1;
      s.overReturned = s.returned > s.paid;
      byOrder.set(k, s);
    }
    return [...byOrder.values()];
  }

  reset(): void {
    this.orders.clear();
    this.ledger = [];
    this.seq = 0;
  }
}
