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
    else
      problems.push(
        `${name}: ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${describeValue(name, value)})`,
      );
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
  const secret = /KEY|TOKEN|SECRET|PASSWORD/.test(name) && !name.endsWith('_PATH') && !name.endsWith('_ID');
  if (secret) return `${value.length} characters`;
  const shown = maskCredentials(value);
  return shown.length > 60 ? `${shown.length} characters` : JSON.stringify(shown);
}

/**
 * Hide a password in anything URL-like, however mangled (a leading space, one slash, a "/" or "@"
 * in the password, a trailing newline): a value rejected by its schema is rejected precisely
 * because it is not well formed, so masking cannot rely on the well-formed shape. Everything
 * between the first ":" after the scheme and the last "@" goes, as does any password= parameter;
 * masking a little too much is the safe side.
 */
export function maskCredentials(value: string): string {
  let masked = value.replace(/(password|passwd|pwd)=[^&;\s]*/gi, '$1=***');
  const at = masked.lastIndexOf('@');
  if (at === -1) return masked;
  // "postgres:" is a scheme when a slash or another ":" (user:password) follows; in "r:S3cret@h" it is the user.
  const scheme = /^\s*[A-Za-z][\w+.-]*:/.exec(masked)?.[0].length ?? 0;
  const next = masked.indexOf(':', scheme);
  const from = scheme > 0 && (masked[scheme] === '/' || (next !== -1 && next < at)) ? scheme : 0;
  const colon = masked.indexOf(':', from);
  if (colon !== -1 && colon < at) masked = `${masked.slice(0, colon + 1)}***${masked.slice(at)}`;
  return masked;
}
