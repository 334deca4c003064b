/**
 * The one configuration loader for worker, API, CLI and sandbox wiring. Everything comes from
 * environment variables (12-factor), is validated with zod, and fails fast with a message that
 * names each missing or bad variable. Secrets are read here and passed only to activities.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../domain/index.js';
import { isPostgresUrl } from '../activities/reconcile/source.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const url = z.url();
const positive = z.coerce.number().positive();

/** Every variable the loader knows, with its schema. docker-compose.yml is checked against this list. */
export const ENV_SCHEMA = {
  // Temporal connection (local dev server, self-hosted cluster or Temporal Cloud).
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  // Task queues: workflows run on RESCIND_TASK_QUEUE, provider calls on `${RESCIND_TASK_QUEUE}-${provider}`.
  RESCIND_TASK_QUEUE: z.string().min(1).default('rescind'),
  // HTTP API for callers in other languages and provider notifications.
  RESCIND_API_HOST: z.string().min(1).default('127.0.0.1'),
  RESCIND_API_PORT: port.default(4000),
  RESCIND_API_TOKENS: z.string().min(1).optional(),
  RESCIND_API_BODY_LIMIT: z.coerce.number().int().positive().default(64 * 1024),
  // Sandbox (local provider simulators).
  RESCIND_SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  RESCIND_SANDBOX_PORT: port.default(4100),
  RESCIND_SANDBOX_NOTIFY_URL: url.optional(),
  // Reconciliation order source: a file path (default) or a postgres:// URL.
  RESCIND_ORDER_SOURCE: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must be file:<path> or a postgres:// URL')
    .default('file:.data/orders.json'),
  RESCIND_ORDER_SOURCE_QUERY: z.string().min(1).optional(),
  // With a custom query: the statement that writes an outcome back ($1 provider, $2 merchant id,
  // $3 order id, $4 status, $5 outcome as JSON text). Default: update rescind_orders.
  RESCIND_ORDER_SOURCE_UPDATE: z.string().min(1).optional(),
  RESCIND_RECONCILE_MIN_AGE: z.string().min(1).default('15m'),
  // PAYJS
  PAYJS_MCHID: z.string().min(1).optional(),
  PAYJS_KEY: z.string().min(1).optional(),
  PAYJS_BASE_URL: url.default('https://payjs.cn'),
  PAYJS_MAX_RPS: positive.default(2),
  // QFPay
  QFPAY_APP_CODE: z.string().min(1).optional(),
  QFPAY_CLIENT_KEY: z.string().min(1).optional(),
  QFPAY_MCHID: z.string().min(1).optional(),
  QFPAY_SIGN_TYPE: z.enum(['MD5', 'SHA256']).default('SHA256'),
  QFPAY_BASE_URL: url.default('https://openapi-hk.qfapi.com'),
  QFPAY_MAX_RPS: positive.default(6),
  // WeChat Pay API v3, partner (service provider) mode
  WECHATPAY_SP_MCHID: z.string().min(1).optional(),
  WECHATPAY_SP_APPID: z.string().min(1).optional(),
  WECHATPAY_MERCHANT_SERIAL: z.string().min(1).optional(),
  WECHATPAY_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_KEY_ID: z.string().min(1).optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: z.string().min(1).optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, 'must be exactly 32 characters').optional(),
  WECHATPAY_BASE_URL: url.default('https://api.mch.weixin.qq.com'),
  WECHATPAY_MAX_RPS: positive.default(20),
  // Ping++
  PINGPP_API_KEY: z.string().min(1).optional(),
  PINGPP_APP_ID: z.string().min(1).optional(),
  PINGPP_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  PINGPP_WEBHOOK_PUBLIC_KEY_PATH: z.string().min(1).optional(),
  // Whether API answers must carry a valid X-Pingplusplus-Signature (checked with the same Ping++
  // public key). Default: yes once the key is set. Whether the live API signs every answer is
  // unconfirmed (pingpp.md §3.1): if it does not, every answer is untrusted until this is false.
  PINGPP_VERIFY_RESPONSES: bool.optional(),
  PINGPP_BASE_URL: url.default('https://api.pingxx.com'),
  PINGPP_MAX_RPS: positive.default(10),
} as const;

export const KNOWN_ENV_VARS = Object.keys(ENV_SCHEMA);

/** For each provider: the variables that must all be set once any of its credentials is set. */
const PROVIDER_REQUIRED: Record<ProviderId, string[]> = {
  payjs: ['PAYJS_MCHID', 'PAYJS_KEY'],
  qfpay: ['QFPAY_APP_CODE', 'QFPAY_CLIENT_KEY'],
  wechatpay: [
    'WECHATPAY_SP_MCHID',
    'WECHATPAY_MERCHANT_SERIAL',
    'WECHATPAY_PRIVATE_KEY_PATH',
    'WECHATPAY_PLATFORM_KEY_ID',
    'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH',
    'WECHATPAY_APIV3_KEY',
  ],
  pingpp: ['PINGPP_API_KEY'],
};
const PROVIDER_OPTIONAL: Record<ProviderId, string[]> = {
  payjs: [],
  qfpay: ['QFPAY_MCHID'],
  wechatpay: ['WECHATPAY_SP_APPID'],
  pingpp: ['PINGPP_APP_ID', 'PINGPP_PRIVATE_KEY_PATH', 'PINGPP_WEBHOOK_PUBLIC_KEY_PATH', 'PINGPP_VERIFY_RESPONSES'],
};

export interface PayjsConfig { mchid: string; key: string; baseUrl: string; maxRps: number }
export interface QfpayConfig {
  appCode: string;
  clientKey: string;
  mchid?: string;
  signType: 'MD5' | 'SHA256';
  baseUrl: string;
  maxRps: number;
}
export interface WechatpayConfig {
  spMchid: string;
  spAppid?: string;
  merchantSerial: string;
  privateKeyPem: string;
  platformKeyId: string;
  platformPublicKeyPem: string;
  apiV3Key: string;
  baseUrl: string;
  maxRps: number;
}
export interface PingppConfig {
  apiKey: string;
  appId?: string;
  privateKeyPem?: string;
  webhookPublicKeyPem?: string;
  /** Require signed API answers (needs webhookPublicKeyPem). */
  verifyResponses: boolean;
  baseUrl: string;
  maxRps: number;
}
export interface ProvidersConfig {
  payjs?: PayjsConfig;
  qfpay?: QfpayConfig;
  wechatpay?: WechatpayConfig;
  pingpp?: PingppConfig;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
}

export interface Config {
  temporal: TemporalConfig;
  taskQueue: string;
  api: { host: string; port: number; tokens: string[]; bodyLimit: number };
  sandbox: { host: string; port: number; notifyUrl?: string };
  reconcile: { orderSource: string; query?: string; update?: string; minAge: string };
  providers: ProvidersConfig;
}

type Env = Record<string, string | undefined>;

/** Load and validate configuration from `env`. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(ENV_SCHEMA)) {
    const value = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${describe(name, value)})`);
  }
  const v = raw as { [K in keyof typeof ENV_SCHEMA]: z.output<(typeof ENV_SCHEMA)[K]> };

  for (const provider of PROVIDER_IDS) {
    const required = PROVIDER_REQUIRED[provider];
    const anySet = [...required, ...PROVIDER_OPTIONAL[provider]].some((name) => env[name]);
    if (!anySet) continue;
    for (const name of required) {
      if (!env[name]) problems.push(`${name}: required once ${provider} is configured (set it, or unset the other ${provider.toUpperCase()}_* variables)`);
    }
  }
  const readPem = (name: string, path: string | undefined): string | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };

  const providers: ProvidersConfig = {};
  if (v.PAYJS_MCHID && v.PAYJS_KEY) {
    providers.payjs = { mchid: v.PAYJS_MCHID, key: v.PAYJS_KEY, baseUrl: v.PAYJS_BASE_URL, maxRps: v.PAYJS_MAX_RPS };
  }
  if (v.QFPAY_APP_CODE && v.QFPAY_CLIENT_KEY) {
    providers.qfpay = {
      appCode: v.QFPAY_APP_CODE,
      clientKey: v.QFPAY_CLIENT_KEY,
      mchid: v.QFPAY_MCHID,
      signType: v.QFPAY_SIGN_TYPE,
      baseUrl: v.QFPAY_BASE_URL,
      maxRps: v.QFPAY_MAX_RPS,
    };
  }
  if (PROVIDER_REQUIRED.wechatpay.every((name) => env[name])) {
    const privateKeyPem = readPem('WECHATPAY_PRIVATE_KEY_PATH', v.WECHATPAY_PRIVATE_KEY_PATH);
    const platformPublicKeyPem = readPem('WECHATPAY_PLATFORM_PUBLIC_KEY_PATH', v.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH);
    if (privateKeyPem && platformPublicKeyPem && v.WECHATPAY_APIV3_KEY) {
      providers.wechatpay = {
        spMchid: v.WECHATPAY_SP_MCHID!,
        spAppid: v.WECHATPAY_SP_APPID,
        merchantSerial: v.WECHATPAY_MERCHANT_SERIAL!,
        privateKeyPem,
        platformKeyId: v.WECHATPAY_PLATFORM_KEY_ID!,
        platformPublicKeyPem,
        apiV3Key: v.WECHATPAY_APIV3_KEY,
        baseUrl: v.WECHATPAY_BASE_URL,
        maxRps: v.WECHATPAY_MAX_RPS,
      };
    }
  }
  if (v.PINGPP_API_KEY) {
    providers.pingpp = {
      apiKey: v.PINGPP_API_KEY,
      appId: v.PINGPP_APP_ID,
      privateKeyPem: readPem('PINGPP_PRIVATE_KEY_PATH', v.PINGPP_PRIVATE_KEY_PATH),
      webhookPublicKeyPem: readPem('PINGPP_WEBHOOK_PUBLIC_KEY_PATH', v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH),
      verifyResponses: v.PINGPP_VERIFY_RESPONSES ?? Boolean(v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH),
      baseUrl: v.PINGPP_BASE_URL,
      maxRps: v.PINGPP_MAX_RPS,
    };
  }

  if (v.PINGPP_VERIFY_RESPONSES && !v.PINGPP_WEBHOOK_PUBLIC_KEY_PATH) {
    problems.push('PINGPP_VERIFY_RESPONSES: answers are verified with the Ping++ public key: set PINGPP_WEBHOOK_PUBLIC_KEY_PATH too');
  }
  if ((v.RESCIND_ORDER_SOURCE_QUERY || v.RESCIND_ORDER_SOURCE_UPDATE) && !isPostgresUrl(v.RESCIND_ORDER_SOURCE)) {
    problems.push('RESCIND_ORDER_SOURCE_QUERY / RESCIND_ORDER_SOURCE_UPDATE: they need a postgres:// RESCIND_ORDER_SOURCE');
  }
  const useTls = v.TEMPORAL_TLS ?? Boolean(v.TEMPORAL_API_KEY || v.TEMPORAL_TLS_CERT_PATH);
  if (Boolean(v.TEMPORAL_TLS_CERT_PATH) !== Boolean(v.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH: set both for mTLS, or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    temporal: {
      address: v.TEMPORAL_ADDRESS,
      namespace: v.TEMPORAL_NAMESPACE,
      apiKey: v.TEMPORAL_API_KEY,
      tls: useTls
        ? {
            certPath: v.TEMPORAL_TLS_CERT_PATH,
            keyPath: v.TEMPORAL_TLS_KEY_PATH,
            caPath: v.TEMPORAL_TLS_CA_PATH,
            serverName: v.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
    },
    taskQueue: v.RESCIND_TASK_QUEUE,
    api: {
      host: v.RESCIND_API_HOST,
      port: v.RESCIND_API_PORT,
      tokens: (v.RESCIND_API_TOKENS ?? '').split(',').map((t) => t.trim()).filter(Boolean),
      bodyLimit: v.RESCIND_API_BODY_LIMIT,
    },
    sandbox: { host: v.RESCIND_SANDBOX_HOST, port: v.RESCIND_SANDBOX_PORT, notifyUrl: v.RESCIND_SANDBOX_NOTIFY_URL },
    reconcile: { orderSource: v.RESCIND_ORDER_SOURCE, query: v.RESCIND_ORDER_SOURCE_QUERY, update: v.RESCIND_ORDER_SOURCE_UPDATE, minAge: v.RESCIND_RECONCILE_MIN_AGE },
    providers,
  };
}


/** Say what was given without ever echoing a secret. */
function describe(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  const secret = /KEY|TOKEN|SECRET/.test(name) && !name.endsWith('_PATH') && !name.endsWith('_ID');
  // A database URL may carry a password: show everything but that.
  if (!secret && /^\w+:\/\/[^/@]*:[^/@]*@/.test(value)) return JSON.stringify(value.replace(/^(\w+:\/\/[^/:@]*):[^/@]*@/, '$1:***@'));
  return secret || value.length > 60 ? `${value.length} characters` : JSON.stringify(value);
}
