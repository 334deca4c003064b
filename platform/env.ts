/**
 * Reading configuration from environment variables: every variable has a zod schema, every
 * problem is collected with the variable's name, and a value is never echoed when it may be secret.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Every problem found in the configuration, each naming the variable to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const port = z.coerce.number().int().min(0).max(65535);
export const url = z.url();
export const positive = z.coerce.number().positive();
export const text = z.string().min(1);

export type EnvSchema = Record<string, z.ZodType>;
export type EnvValues<S extends EnvSchema> = { [K in keyof S]: z.output<S[K]> };

/** Validate every variable of `schema` (an empty string counts as unset); problems go to `problems`. */
export function readVariables<S extends EnvSchema>(schema: S, env: Env, problems: string[]): EnvValues<S> {
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(schema)) {
    const value = env[name] === '' ? undefined : env[name];
    const parsed = variable.safeParse(value);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${describeValue(name, value)})`);
  }
  return values as EnvValues<S>;
}

/** Run a loader that collects problems; throw them all at once as a ConfigError. */
export function loadOrThrow<T>(load: (env: Env, problems: string[]) => T, env: Env = process.env): T {
  const problems: string[] = [];
  const loaded = load(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/** Read a file named by a variable (a key or certificate); a failure is a problem naming both. */
export function readFileVariable(name: string, path: string | undefined, problems: string[]): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

/** Say what was given without ever echoing a secret. */
export function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  const secret = /KEY|TOKEN|SECRET/.test(name) && !name.endsWith('_PATH') && !name.endsWith('_ID');
  // A database URL may carry a password: show everything but that.
  if (!secret && /^\w+:\/\/[^/@]*:[^/@]*@/.test(value)) {
    return JSON.stringify(value.replace(/^(\w+:\/\/[^/:@]*):[^/@]*@/, '$1:***@'));
  }
  return secret || value.length > 60 ? `${value.length} characters` : JSON.stringify(value);
}
