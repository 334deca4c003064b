/**
 * Which provider notices a run has seen lately, so a notice delivered again (a provider's retry, or a
 * replay of a genuine one) wakes the run at most once. Pure, on workflow time; the list is bounded
 * and carried across continue-as-new (docs/policy.md, "Waiting without growing history").
 */

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
