/** The providers Rescind speaks to, and the names derived from a provider id. */

export const PROVIDER_IDS = ['payjs', 'qfpay', 'wechatpay', 'pingpp'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const isProviderId = (value: unknown): value is ProviderId =>
  typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);

/** The task queue that carries one provider's calls; its rate limit is enforced by the Temporal server. */
export const providerTaskQueue = (base: string, provider: ProviderId): string => `${base}-${provider}`;
