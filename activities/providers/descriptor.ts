/**
 * What a provider module exports: everything the rest of Rescind needs to know about one provider,
 * so configuration, notification receivers, the library, request validation and the worker loop
 * over the registry (./index.ts) instead of naming providers. docs/adding-a-provider.md walks
 * through writing one.
 */
import type { NoticeAck, NoticeVerification, ProviderId } from '../../domain/index.js';
import type { EnvSchema, EnvValues } from '../../platform/env.js';
import type { ProviderRules } from '../../workflows/rules.js';
import type { ProviderAdapter } from './provider.js';

export type Headers = Record<string, string | string[] | undefined>;

/** Every provider config carries its rate limit, enforced by the Temporal server across workers. */
export interface ProviderConfigBase {
  baseUrl: string;
  maxRps: number;
}

/** A provider's environment variables and how they become its config. */
export interface ProviderEnv<S extends EnvSchema, C extends ProviderConfigBase> {
  /** Every variable with its zod schema (defaults included). */
  variables: S;
  /** Set all of these, or none: the provider is on once any of `required` or `optional` is set. */
  required: readonly (keyof S & string)[];
  optional: readonly (keyof S & string)[];
  /** The variable naming the merchant used when a caller or a notification leaves it out (not a secret). */
  merchantVariable?: keyof S & string;
  /** Build the config from validated values; report problems (naming the variable) instead of throwing. */
  build(values: EnvValues<S>, problems: string[]): C | undefined;
}

/** The config type a provider's environment produces. */
export type ConfigOf<E> = E extends { build(...args: never[]): infer R } ? Exclude<R, undefined> : never;

export interface AdapterOptions {
  /** Bound on each HTTP request, ms. */
  timeoutMs?: number;
}

export interface NotificationReceiver<C> {
  /** What the provider sends (documented in the OpenAPI description). */
  contentType: string;
  /** Verify the raw body and reduce it to a notice; unverified bodies are never parsed further. */
  verify(config: C, rawBody: string, headers: Headers, now?: Date): NoticeVerification;
  /** The answer that tells the provider "received, stop retrying". */
  ack: NoticeAck;
  /**
   * The provider's own id for a notification event, when its body carries one (a redelivery may be
   * re-encrypted, so its bytes differ). Without it, the receiver identifies a notice by its body's hash.
   */
  eventId?(rawBody: string): string | undefined;
  /** The answer for a body that did not verify, or could not be handled now (the provider retries). */
  refuse(status: number, message: string): NoticeAck;
}

export interface ProviderDescriptor<
  Id extends ProviderId = ProviderId,
  C extends ProviderConfigBase = ProviderConfigBase,
> {
  id: Id;
  env: ProviderEnv<any, C>;
  createAdapter(config: C, options?: AdapterOptions): ProviderAdapter;
  notifications: NotificationReceiver<C>;
  /** The merchant a configured provider acts for, when a caller or a notification leaves it out. */
  defaultMerchant?(config: C): string | undefined;
  /** Set when orders must carry providerOrderId: the message says why, for the caller's 400. */
  providerOrderIdRequired?: string;
  /** The policy's rules for this provider (workflow code reads them from workflows/rules.ts). */
  rules: ProviderRules;
}

/** The top-level `id` of a JSON notification body (WeChat Pay `EV-…`, Ping++ `evt_…`), at most 128 characters. */
export function jsonEventId(rawBody: string): string | undefined {
  try {
    const id = (JSON.parse(rawBody) as { id?: unknown }).id;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A plain-text refusal, for providers that retry on any non-2xx. */
export const textRefusal =
  (body: string) =>
  (status: number): NoticeAck => ({ status, contentType: 'text/plain; charset=utf-8', body });
