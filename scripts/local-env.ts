/**
 * The environment for the local stack: the user's own variables win; every provider the user has
 * not configured is pointed at the sandbox with its test credentials.
 */
import { sandboxWorkerEnv } from '../sandbox/worker-env.js';

const PROVIDER_PREFIXES = ['PAYJS_', 'QFPAY_', 'WECHATPAY_', 'PINGPP_'];

export function localEnv(
  base: NodeJS.ProcessEnv,
  sandboxUrl: string,
  keyDir: string,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const [name, value] of Object.entries(sandboxWorkerEnv(sandboxUrl, keyDir))) {
    const prefix = PROVIDER_PREFIXES.find((p) => name.startsWith(p))!;
    const userConfigured = Object.keys(base).some((k) => k.startsWith(prefix) && base[k]);
    if (!userConfigured) env[name] = value;
  }
  return env;
}
