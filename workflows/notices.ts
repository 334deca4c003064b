/**
 * Which provider notices a run has seen lately, so a notice delivered again (a provider's retry, or a
 * replay of a genuine one) wakes the run at most once. Pure, on workflow time; the list is bounded
 * and carried across continue-as-new (docs/policy.md, "Waiting without growing history").
 */
import type { Outcome } from '../domain/index.js';

/** One notice seen: its id (provider event id, or SHA-256 of the raw body), when first seen, how often delivered. */
export interface SeenNotice {
  id: string;
  /** Workflow time, ms. */
  firstAt: number;
  deliveries: number;
}

/** How many notice ids a run remembers, for how long, and the longest id it keeps (a SHA-256 in hex is 64). */
export const NOTICE_MEMORY = 32;
export const NOTICE_WINDOW_MS = 24 * 60 * 60 * 1_000;
export const NOTICE_ID_MAX = 128;

/** The signal's notice id if it is one the run can keep; anything else counts as no id. */
export const usableNoticeId = (id: unknown): string | undefined =>
  typeof id === 'string' && id.length > 0 && id.length <= NOTICE_ID_MAX ? id : undefined;

/**
 * A notice arrives at workflow time `now`. A notice without an id is always new (nothing to compare).
 * Never changes `seen`.
 */
export function seeNotice(
  seen: readonly SeenNotice[],
  id: string | undefined,
  now: number,
): { duplicate: boolean; seen: SeenNotice[] } {
  const recent = seen.filter((n) => now - n.firstAt < NOTICE_WINDOW_MS);
  if (id === undefined) return { duplicate: false, seen: recent };
  const known = recent.find((n) => n.id === id);
  if (known)
    return { duplicate: true, seen: recent.map((n) => (n === known ? { ...n, deliveries: n.deliveries + 1 } : n)) };
  return { duplicate: false, seen: [...recent, { id, firstAt: now, deliveries: 1 }].slice(-NOTICE_MEMORY) };
}

/** A verified "paid" notice the run received (kept across continue-as-new until the run ends). */
export interface PaidNotice {
  /** The notice id when the provider's notification gave one. */
  id?: string;
  /** When the receiver verified it (ISO time, from the signal). */
  receivedAt: string;
}

/**
 * Whether an outcome says no money went back and none is known to be held: after a verified payment
 * notice such an outcome means the payment would stay with the merchant (docs/policy.md, "Late payments").
 */
export function returnedNoMoney(outcome: Outcome): boolean {
  switch (outcome.kind) {
    // We closed or reversed it while unpaid; it was closed, expired, failed or reversed before we acted;
    // or the provider had no such order. A payment after that is new money.
    case 'closed_unpaid':
    case 'already_closed':
    case 'not_found':
      return true;
    // A reversal the provider did not say returned money.
    case 'reversed':
      return !outcome.moneyReturned;
    // Money went back already: the notification is about the payment that was returned (providers resend).
    case 'refunded':
    case 'already_refunded':
      return false;
    // An operator closed the case by hand, maybe with a refund outside Rescind: an automatic run could contradict it.
    case 'resolved_by_operator':
      return false;
    // The review was never resolved: the money state was unclear, and a person still has to decide.
    case 'needs_review':
      return false;
  }
}
