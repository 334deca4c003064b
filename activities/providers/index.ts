/**
 * The provider registry: every provider Rescind speaks, as descriptors. Configuration, the worker,
 * notification receivers, the library and request validation loop over this list instead of
 * naming providers. Adding a provider is a folder beside this file plus one line below.
 */
import { PROVIDER_IDS, type ProviderId } from '../../domain/index.js';
import { readVariables, type Env, type EnvSchema } from '../../platform/env.js';
import type { AdapterOptions, ConfigOf, ProviderConfigBase, ProviderDescriptor } from './descriptor.js';
import { payjsProvider } from './payjs/index.js';
import { pingppProvider } from './pingpp/index.js';
import type { ProviderAdapter } from './provider.js';
import { qfpayProvider } from './qfpay/index.js';
import { wechatpayProvider } from './wechatpay/index.js';

export const PROVIDERS = [payjsProvider, qfpayProvider, wechatpayProvider, pingppProvider] as const;

type Registered = (typeof PROVIDERS)[number];

/** The config of every configured provider, keyed by id. */
export type ProvidersConfig = { [D in Registered as D['id']]?: ConfigOf<D['env']> };

// Compile-time guard: every id in the domain has a descriptor, and no descriptor lacks an id.
const registryIsComplete: [Exclude<ProviderId, Registered['id']>] extends [never] ? true : never = true;
void registryIsComplete;

/** The descriptor of one provider. */
export function providerDescriptor(id: ProviderId): ProviderDescriptor {
  return PROVIDERS.find((d) => d.id === id) as unknown as ProviderDescriptor;
}

/** Every variable every provider reads, with its schema (the compose file is checked against these). */
export const PROVIDER_ENV: EnvSchema = Object.assign({}, ...PROVIDERS.map((d) => d.env.variables));

/**
 * Read the configuration of every provider whose credentials are set. Setting only some of a
 * provider's credentials is a problem naming the missing ones.
 */
export function readProvidersConfig(env: Env, problems: string[]): ProvidersConfig {
  const providers: Record<string, ProviderConfigBase> = {};
  for (const descriptor of PROVIDERS as readonly ProviderDescriptor[]) {
    const spec = descriptor.env;
    const values = readVariables(spec.variables, env, problems);
    if (![...spec.required, ...spec.optional].some((name) => env[name])) continue;
    const missing = spec.required.filter((name) => !env[name]);
    for (const name of missing) {
      const prefix = descriptor.id.toUpperCase();
      problems.push(
        `${name}: required once ${descriptor.id} is configured (set it, or unset the other ${prefix}_* variables)`,
      );
    }
    if (missing.length > 0) continue;
    const config = spec.build(values, problems);
    if (config) providers[descriptor.id] = config;
  }
  return providers as ProvidersConfig;
}

/** The configured providers' configs, one by one, with their descriptors. */
export function configuredProviders(
  providers: ProvidersConfig,
): { descriptor: ProviderDescriptor; config: ProviderConfigBase }[] {
  const configs = providers as Partial<Record<ProviderId, ProviderConfigBase>>;
  return PROVIDER_IDS.flatMap((id) => {
    const config = configs[id];
    return config ? [{ descriptor: providerDescriptor(id), config }] : [];
  });
}

/** Adapters for every configured provider. */
export function createAdapters(
  providers: ProvidersConfig,
  options: AdapterOptions = {},
): Partial<Record<ProviderId, ProviderAdapter>> {
  const adapters: Partial<Record<ProviderId, ProviderAdapter>> = {};
  for (const { descriptor, config } of configuredProviders(providers)) {
    adapters[descriptor.id] = descriptor.createAdapter(config, options);
  }
  return adapters;
}

/** The merchant a configured provider acts for (PAYJS mchid, QFPay mchid, Ping++ app id), if any. */
export function configuredMerchant(providers: ProvidersConfig, provider: ProviderId): string | undefined {
  const config = (providers as Partial<Record<ProviderId, ProviderConfigBase>>)[provider];
  return config ? providerDescriptor(provider).defaultMerchant?.(config) : undefined;
}

/**
 * The merchant used when a caller or a notification leaves it out: the provider's merchant variable
 * (PAYJS_MCHID, QFPAY_MCHID, PINGPP_APP_ID), read without loading any credential.
 */
export function defaultMerchant(provider: ProviderId, env: Env = process.env): string | undefined {
  const name = providerDescriptor(provider).env.merchantVariable;
  return (name && env[name]) || undefined;
}

/** Why an order for this provider must carry providerOrderId, or undefined when it need not. */
export const providerOrderIdRequirement = (provider: ProviderId): string | undefined =>
  providerDescriptor(provider).providerOrderIdRequired;
