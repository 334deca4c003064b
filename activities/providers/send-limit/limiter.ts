/**
 * The send limiter: before a provider request leaves, take a send slot for its limit key from the
 * shared table (./slots.ts) and wait for it. No slot within the horizon: the attempt ends rate
 * limited and Temporal retries it later, so nothing queues unboundedly inside an activity. Trouble
 * with the database: the attempt ends transient and nothing is sent without a slot.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FailureType, ProviderError, transient } from '../../errors.js';
import type { ProviderId } from '../../../domain/index.js';
import { maskCredentials } from '../../../platform/env.js';
import type { SendSlots } from './slots.js';

/**
 * How far ahead a request may book its slot. A few seconds smooths the server's dispatch bursts
 * (it saves up one second of tasks) and an activity's second request; a longer backlog is left in
 * Temporal's queue, not in sleeping activities (each attempt has 30 s: workflows/provider-calls.ts).
 */
export const SEND_SLOT_HORIZON_MS = 3_000;

/** A provider's budget: its limit key (provider and account) and its rate. */
export interface SendLimit {
  key: string;
  ratePerSecond: number;
}

export interface SendLimiter {
  /** Wait for this request's send slot; resolves when it may be sent. */
  take(provider: ProviderId, call: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export function createSendLimiter(
  slots: SendSlots,
  limits: Partial<Record<ProviderId, SendLimit>>,
  options: { horizonMs?: number; close?: () => Promise<void> } = {},
): SendLimiter {
  const horizonMs = options.horizonMs ?? SEND_SLOT_HORIZON_MS;
  return {
    async take(provider, call, signal) {
      const limit = limits[provider];
      if (!limit) return;
      signal?.throwIfAborted();
      let reservation;
      try {
        reservation = await slots.reserve(limit.key, limit.ratePerSecond, horizonMs);
      } catch (err) {
        throw transient(
          provider,
          call,
          `not sent: the send-rate limiter's database (RESCIND_RATE_LIMIT_DATABASE_URL) failed: ${describe(err)}`,
        );
      }
      if (!reservation.reserved) {
        const retryAfterMs = Math.ceil(reservation.busyMs);
        throw new ProviderError(
          FailureType.RateLimited,
          provider,
          `${call}: not sent: ${limit.ratePerSecond}/s budget booked ${(retryAfterMs / 1000).toFixed(1)} s ahead (over the ${horizonMs / 1000} s horizon)`,
          { call, retryAfterMs },
        );
      }
      if (reservation.waitMs <= 0) return;
      try {
        await sleep(reservation.waitMs, undefined, { signal });
      } catch {
        throw transient(provider, call, 'not sent: cancelled while waiting for its send slot');
      }
    },
    close: options.close ?? (async () => {}),
  };
}

/** The database's complaint without any credential (a pg message can carry the connection string). */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return maskCredentials([e.code, e.message].filter(Boolean).join(' ') || String(err));
}
