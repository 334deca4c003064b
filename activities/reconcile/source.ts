/**
 * Where scheduled reconciliation finds stuck orders, and where it writes outcomes back so the
 * merchant's records converge. Two implementations: PostgreSQL (postgres-source.ts) and a JSON
 * file (file-source.ts, the embedded default).
 */
import type { OrderRef } from '../../domain/index.js';

/** A pending order as the merchant's records hold it. */
export interface CandidateOrder extends OrderRef {
  createdAt: string;
}

/** Keyset position: candidates are read in (createdAt, provider, merchantId, orderId) order. */
export interface Cursor {
  createdAt: string;
  key: string;
}

export interface OrderSource {
  /** Orders still pending (or being cancelled) that were created before `cutoff`, after `cursor`. */
  listCandidates(options: { cutoff: Date; limit: number; after?: Cursor }): Promise<CandidateOrder[]>;
  /** Write the cancellation's state back: a final outcome kind, or cancelling / needs_review. */
  recordOutcome(order: OrderRef, status: string, outcome: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Whether RESCIND_ORDER_SOURCE names a PostgreSQL database (else it is a file). */
export const isPostgresUrl = (source: string): boolean => /^postgres(ql)?:\/\//.test(source);

export const cursorKey = (o: OrderRef): string => `${o.provider}|${o.merchantId}|${o.orderId}`;

/** Statuses that mean "not settled yet": reconciliation keeps looking at these. */
export const OPEN_STATUSES = ['pending', 'cancelling', 'needs_review'];
