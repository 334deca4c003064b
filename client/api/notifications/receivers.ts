/**
 * One receiver per configured provider, from its descriptor: how its notifications are verified
 * (on the raw body) and what it must be answered when accepted and when refused.
 */
import { createHash } from 'node:crypto';
import type { NoticeAck, NoticeVerification, ProviderId } from '../../../domain/index.js';
import { configuredProviders, type ProvidersConfig } from '../../../activities/providers/index.js';
import type { Headers } from '../../../activities/providers/descriptor.js';

export type { Headers };

export interface Receiver {
  /** Verify the raw body; never throws (a throwing verifier counts as unverified). */
  verify(rawBody: string, headers: Headers): NoticeVerification;
  /** The answer that tells the provider "received, stop retrying". */
  ack: NoticeAck;
  /** The answer for a body that did not verify, or that could not be handled now (the provider retries). */
  refuse(status: number, message: string): NoticeAck;
  /** What the provider sends: documented in the OpenAPI description. */
  contentType: string;
  /** Identifies a notice so the run counts a redelivery once: the provider's event id, or the body's SHA-256. */
  noticeId(rawBody: string): string;
}

/** A receiver for each configured provider; an unconfigured provider's notifications cannot be verified. */
export function buildReceivers(providers: ProvidersConfig): Partial<Record<ProviderId, Receiver>> {
  const receivers: Partial<Record<ProviderId, Receiver>> = {};
  for (const { descriptor, config } of configuredProviders(providers)) {
    const { verify, ack, refuse, contentType, eventId } = descriptor.notifications;
    receivers[descriptor.id] = {
      verify: (raw, headers) => {
        try {
          return verify(config, raw, headers);
        } catch (err) {
          return { ok: false, reason: `verifier failed: ${(err as Error).message}` };
        }
      },
      ack,
      refuse,
      contentType,
      noticeId: (raw) => eventId?.(raw) ?? createHash('sha256').update(raw, 'utf8').digest('hex'),
    };
  }
  return receivers;
}
