/**
 * Which cancellations go first when a provider's rate-limited task queue has a backlog
 * (docs/architecture.md, "Priority and fairness"). Temporal's priority key runs from 1 (first) to
 * the server's `matching.priorityLevels` (5 by default); a start without one gets the middle, 3.
 *
 * - live (2): someone is waiting for this order now: a payment-timeout handler through the library,
 *   the HTTP API, the CLI, or a payment notification that found a late payment.
 * - reconciliation (4): orders found stuck in the merchant's records; they waited minutes already
 *   and may wait behind every live one.
 *
 * 1 and 5 are left free (say, an operator's urgent retry, or a bulk backfill) and runs started
 * without a class (older runs, other tools) sit at 3, between the two.
 *
 * The fairness key is the merchant (provider + merchant id): within one priority, the server shares
 * a queue's dispatches between merchants, so one merchant's backlog does not starve another's.
 * Activities inherit both from their workflow, so the provider calls are ordered the same way.
 */
import type { ProviderId } from './providers.js';

export const CANCELLATION_PRIORITY = { live: 2, reconciliation: 4 } as const;
export type CancellationPriorityClass = keyof typeof CANCELLATION_PRIORITY;

/** Temporal refuses fairness keys over 64 bytes. */
export const FAIRNESS_KEY_MAX_BYTES = 64;

/**
 * `<provider>:<merchant id>`. Merchant ids are up to 64 ASCII characters (client/request.ts), so a
 * few keys would be too long: those keep their first 55 bytes (whole characters) and an 8-digit hash of the whole
 * key, so two long merchant ids sharing a prefix still get keys of their own.
 */
export function merchantFairnessKey(provider: ProviderId, merchantId: string): string {
  const key = `${provider}:${merchantId}`;
  if (utf8Length(key) <= FAIRNESS_KEY_MAX_BYTES) return key;
  let prefix = '';
  for (const char of key) {
    if (utf8Length(prefix + char) > FAIRNESS_KEY_MAX_BYTES - 9) break;
    prefix += char;
  }
  return `${prefix}~${fnv1a(key)}`;
}

// No node:crypto here (domain/ imports nothing); the hash only has to spread keys, not hide them.
const fnv1a = (text: string): string => {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
};

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;
