/** A query normalised into what it means for the money. */

export const CLOSED_REASONS = ['closed', 'expired', 'reversed', 'failed'] as const;
export type ClosedReason = (typeof CLOSED_REASONS)[number];

export const OBSERVATION_STATUSES = [
  'unpaid',
  'paying',
  'paid',
  'refunding',
  'refunded',
  'closed',
  'not_found',
  'unknown',
] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];

export interface ObservedFacts {
  /** The provider's own words for this state, e.g. "trade_state=USERPAYING" or "respcd=1143". */
  providerCode: string;
  providerOrderId?: string;
  amount?: number;
  payType?: string;
  paidAt?: string;
  /** Money already sent back by a reversal of a paid order (Ping++ `paid && reversed`, PAYJS reverse). */
  reversedAfterPayment?: boolean;
}

export type Observation =
  | ({ status: 'unpaid' } & ObservedFacts)
  | ({ status: 'paying' } & ObservedFacts)
  | ({ status: 'paid' } & ObservedFacts)
  | ({ status: 'refunding'; refundedAmount: number } & ObservedFacts)
  | ({ status: 'refunded'; refundedAmount: number; full: boolean } & ObservedFacts)
  | ({ status: 'closed'; reason: ClosedReason } & ObservedFacts)
  | ({ status: 'not_found' } & ObservedFacts)
  | ({ status: 'unknown'; reason: string } & ObservedFacts);

// Compile-time guard: the list above and the union agree.
const statusesAreComplete: [Exclude<Observation['status'], ObservationStatus>] extends [never] ? true : never = true;
void statusesAreComplete;
