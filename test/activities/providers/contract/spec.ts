/**
 * What a provider's contract test tells the shared suite (./suite.ts): how its sandbox orders are
 * made, which calls it offers, and what each call answers. Everything else is the same for every
 * provider. Expected values are compared with toEqual: a plain object must match exactly, and
 * `like({...})` (expect.objectContaining) names only the fields that matter.
 */
import type { ProviderConfigBase, ProviderDescriptor } from '../../../../activities/providers/descriptor.js';
import type { ObservationStatus, OrderRef, ProviderId } from '../../../../domain/index.js';
import type { FaultKind } from '../../../../sandbox/faults.js';
import type { OrderState } from '../../../../sandbox/store.js';
import type { MoneyMoves, NewSandboxOrder } from '../../../helpers/sandbox-orders.js';

export const CALLS = ['query', 'close', 'reverse', 'refund', 'queryRefund'] as const;
export type Call = (typeof CALLS)[number];
export type Write = 'close' | 'reverse' | 'refund';
export type Cancel = 'close' | 'reverse';

/** Fields of a new sandbox order beyond its provider and state. */
export type OrderExtra = Omit<Partial<NewSandboxOrder>, 'provider' | 'state'>;

/** The ledger's counts for one order; sums follow from them (every contract movement is the order's full amount). */
export type MoneyCounts = Pick<MoneyMoves, 'payments' | 'refunds' | 'reversals'>;

/** One close or reverse of an order in one state. */
export interface CancelRow {
  state: OrderState;
  extra?: OrderExtra;
  /** The first answer, and the answer to the same call again. */
  answer: unknown;
  repeat: unknown;
  /** The sandbox state afterwards; a query then reads what `query.byState` says for it. */
  after: OrderState;
}

/** A write under each transport or trust fault: what the retry answers, and the money once it is applied. */
export interface WriteFaultCase {
  state: OrderState;
  extra?: OrderExtra;
  /** The fault kinds this call meets the common way (see FAULT_TYPES in ./outcomes.ts). */
  kinds: readonly FaultKind[];
  /** The sandbox state once the write was applied. */
  applied: OrderState;
  /** The result of a retry after the first attempt was applied, and after it was not. */
  afterApplied: string;
  afterNothing: string;
  /** What the ledger shows once the write is applied, however often it is retried. */
  money: MoneyCounts;
}

export interface ProviderContract<C extends ProviderConfigBase = ProviderConfigBase> {
  /** The provider's descriptor (activities/providers/<id>/index.ts): the suite builds adapters with it. */
  descriptor: ProviderDescriptor<ProviderId, C>;
  /** Every order the suite creates: its amount, and a pay type when the sandbox default does not fit. */
  order: { amount: number; payType?: string };
  /** Whether a caller knows the provider's order id before the order is paid (WeChat Pay: only once paid). */
  providerOrderIdKnown: 'always' | 'once_paid';
  refundKey(order: OrderRef, n: number): string;
  /** Calls the provider does not offer: they throw not_supported. */
  notSupported: readonly Call[];

  query: {
    orderExtra?: OrderExtra;
    /** Order fields a query answer repeats (amount always). */
    echoes: readonly ('providerOrderId' | 'payType')[];
    /** Fields of the observation of an order in each sandbox state. */
    byState: Record<OrderState, Record<string, unknown>>;
    /** A paid answer's paid time: its format, and how far from now it may be. */
    paidAt: { format?: RegExp; withinMs: number };
    /** An order still being paid: how it reads until it settles as paid. */
    whilePaying: { extra?: OrderExtra; reads: ObservationStatus };
    /** An order the provider never saw: how to name it, and what the query says. */
    neverSeen: { ref(order: OrderRef): OrderRef; reads: unknown };
    /** The provider's order id presented with another merchant order id. */
    foreignOrder: unknown;
    /** A paid order whose answer has a bad signature. */
    badSignature: unknown;
    /** The in_progress fault on a paid order's query. */
    inProgress: { codes?: string[]; reads: unknown };
  };

  /** Close and reverse of an order in each state (only the calls the provider offers). */
  cancels: Partial<Record<Cancel, { orderExtra?: OrderExtra; rows: CancelRow[] }>>;
  /** Faults on each write the provider offers. */
  writeFaults: Partial<Record<Write, WriteFaultCase>>;

  /** A full refund of a paid order, repeated under the same key. Functions get the first answer. */
  refund: {
    first: unknown;
    repeat(first: { refundId?: string }): unknown;
    /** The query afterwards, and the refund query by the key (a settled outcome: { answer } or { thrown }). */
    queryAfter: unknown;
    refundQueryAfter(first: { refundId?: string }): unknown;
  };
  /** Refunds of orders in states that have nothing to refund (a settled outcome each); nothing moves. */
  refundRefused: [OrderState, unknown][];
  /** Reverse of a paid order, twice: the answers, the query afterwards and the money. */
  reversePaid: { extra?: OrderExtra; answer: unknown; repeat: unknown; queryAfter: unknown; money: MoneyCounts };

  /** Credentials the provider refuses: every offered call throws `refusedAs`, and nothing moves. */
  wrongSecrets: { name: string; config: Partial<C>; refusedAs: unknown }[];
  /** A base URL that answers 404: the query and each write. */
  wrongBaseUrl: { query: unknown; write: unknown };

  /** The refund query, when offered: faults, a succeeded refund under the in_progress fault, an unknown key. */
  refundQuery?: { kinds: readonly FaultKind[]; inProgress: unknown; unknownKey: unknown };

  /** The merchant a verified payment notice names (QFPay's carry none). */
  noticeMerchant(order: OrderRef): string | undefined;
}
