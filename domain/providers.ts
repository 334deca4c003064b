/** The providers Rescind speaks to, and the names derived from a provider id. */

export const PROVIDER_IDS = ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const isProviderId = (value: unknown): value is ProviderId =>
  typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);

/** The task queue that carries one provider's calls; its rate limit is enforced by the Temporal server. */
export const providerTaskQueue = (base: string, provider: ProviderId): string => `${base}-${provider}`;

/**
 * How long one provider call attempt may take (its activity's start-to-close timeout). A stopping
 * worker gives calls under way as long to finish (worker/tuning.ts), so the two cannot drift apart.
 */
export const PROVIDER_CALL_TIMEOUT_SECONDS = 30;
