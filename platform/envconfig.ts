/**
 * Temporal's standard client configuration, read as the Temporal CLI reads it (through
 * @temporalio/envconfig): a TOML file of profiles (TEMPORAL_CONFIG_FILE, else the user's
 * temporalio/temporal.toml), the profile TEMPORAL_PROFILE names (else "default"), and the TEMPORAL_*
 * variables over it. Rescind's older TLS variable names still work, as aliases of the standard ones.
 * Every problem names the variable or the file and profile key to fix, and never shows a secret.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  type ClientConfigProfile,
  type ClientConfigTLS,
  type ConfigDataSource,
  loadClientConfigProfile,
} from '@temporalio/envconfig';
import type { Env } from './env.js';

/** Rescind's TLS names from before it read the standard configuration, and the standard name each stands for. */
export const TLS_ALIASES = {
  TEMPORAL_TLS_CERT_PATH: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY_PATH: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_TLS_CA_PATH: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
} as const;

/** The TLS files of a profile: the TOML key and the variables that can set each. */
const TLS_FILES = [
  { field: 'clientCert', toml: 'client_cert', variables: ['TEMPORAL_TLS_CLIENT_CERT', 'TEMPORAL_TLS_CERT_PATH'] },
  { field: 'clientKey', toml: 'client_key', variables: ['TEMPORAL_TLS_CLIENT_KEY', 'TEMPORAL_TLS_KEY_PATH'] },
  { field: 'serverCACert', toml: 'server_ca_cert', variables: ['TEMPORAL_TLS_SERVER_CA_CERT', 'TEMPORAL_TLS_CA_PATH'] },
] as const;

export interface ClientProfile {
  address?: string;
  namespace?: string;
  apiKey?: string;
  /** Present when TLS is on (an explicit TLS setting, or an API key); file contents are read on connect. */
  tls?: Omit<ClientConfigTLS, 'disabled'>;
  grpcMeta?: Record<string, string>;
  /** Where the profile came from, e.g. `profile "prod" in /home/me/.config/temporalio/temporal.toml`. */
  source?: string;
}

/** The file the Temporal CLI reads when TEMPORAL_CONFIG_FILE is unset (the user's config directory). */
export function defaultConfigFile(env: Env, platform: NodeJS.Platform = process.platform): string | undefined {
  let dir: string | undefined;
  if (platform === 'win32') dir = env.APPDATA || undefined;
  else if (platform === 'darwin') dir = env.HOME ? join(env.HOME, 'Library', 'Application Support') : undefined;
  else if (env.XDG_CONFIG_HOME) dir = isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  else dir = env.HOME ? join(env.HOME, '.config') : undefined;
  return dir ? join(dir, 'temporalio', 'temporal.toml') : undefined;
}

/**
 * The variables as envconfig should see them: an empty value counts as unset (as everywhere in
 * Rescind; a gRPC header set to "" keeps its meaning, removing the header), an alias fills its
 * standard name, and TEMPORAL_TLS is normalised (envconfig takes only "true" and "1" as true).
 */
function standardVariables(env: Env, tls: boolean | undefined, problems: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (value !== '' || name.startsWith('TEMPORAL_GRPC_META_'))) vars[name] = value;
  }
  for (const [alias, standard] of Object.entries(TLS_ALIASES)) {
    const value = vars[alias];
    if (value === undefined) continue;
    if (vars[standard] !== undefined && vars[standard] !== value)
      problems.push(`${alias} and ${standard}: both set, to different files; keep one`);
    else vars[standard] = value;
  }
  if (tls === undefined) delete vars.TEMPORAL_TLS;
  else vars.TEMPORAL_TLS = String(tls);
  return vars;
}

interface ConfigFile {
  path: string;
  /** How to name it in a problem. */
  label: string;
  text: string;
}

/** The configuration file, if there is one; an explicitly named file that cannot be read is a problem. */
function readConfigFile(vars: Record<string, string>, problems: string[]): ConfigFile | undefined {
  const named = vars.TEMPORAL_CONFIG_FILE;
  const path = named ?? defaultConfigFile(vars);
  if (!path) return undefined;
  const label = named ? `TEMPORAL_CONFIG_FILE (${path})` : `Temporal config file ${path}`;
  try {
    return { path, label, text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The default file is optional, as for the Temporal CLI; one named on purpose is not.
    if (!named && code === 'ENOENT') return undefined;
    problems.push(`${label}: cannot read it (${code ?? 'error'})`);
    return undefined;
  }
}

/** Only comments and blank lines: envconfig cannot load such a file, but it means "no profiles". */
const isBlank = (toml: string) => toml.split(/\r?\n/).every((line) => /^\s*(#.*)?$/.test(line));

/** A parse error's first line only: the lines after it quote the file, which may hold an API key. */
function describeLoadError(err: unknown, file: ConfigFile): string {
  const e = err as { message?: string; line?: unknown; column?: unknown };
  const first = (e.message ?? String(err)).split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
  if (typeof e.line === 'number')
    return `${file.label}: not valid TOML at line ${e.line}, column ${String(e.column)} (${first})`;
  if (err instanceof TypeError)
    return `${file.label}: not a Temporal client config (profiles are [profile.<name>] tables)`;
  return `${file.label}: ${first}`;
}

/** Load the profile with the variables applied over it; undefined after a problem. */
function loadProfile(
  vars: Record<string, string>,
  file: ConfigFile | undefined,
  problems: string[],
): ClientConfigProfile | undefined {
  const name = vars.TEMPORAL_PROFILE;
  if (!file || isBlank(file.text)) {
    if (name) {
      const where = file
        ? `${file.label} defines no profiles`
        : `there is no config file (set TEMPORAL_CONFIG_FILE${defaultConfigFile(vars) ? ` or create ${defaultConfigFile(vars)}` : ''})`;
      problems.push(`TEMPORAL_PROFILE: profile "${name}" not found: ${where}`);
      return undefined;
    }
    return loadClientConfigProfile({ disableFile: true, overrideEnvVars: vars });
  }
  try {
    return loadClientConfigProfile({ configSource: { data: file.text }, profile: name, overrideEnvVars: vars });
  } catch (err) {
    if (name && /^Profile '.*' not found/.test((err as Error).message))
      problems.push(`TEMPORAL_PROFILE: profile "${name}" not found in ${file.path}`);
    else problems.push(describeLoadError(err, file));
    return undefined;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Check the value types a TOML file can get wrong, and that every TLS file can be read. */
function checkProfile(
  profile: ClientConfigProfile,
  vars: Record<string, string>,
  source: string,
  problems: string[],
): void {
  for (const [key, toml] of [
    ['address', 'address'],
    ['namespace', 'namespace'],
    ['apiKey', 'api_key'],
  ] as const) {
    if (profile[key] !== undefined && !isString(profile[key])) problems.push(`${source}: ${toml} must be a string`);
  }
  for (const [header, value] of Object.entries(profile.grpcMeta ?? {})) {
    if (!isString(value)) problems.push(`${source}: grpc_meta.${header} must be a string`);
  }
  const tls = profile.tls;
  if (!tls) return;
  if (tls.serverName !== undefined && !isString(tls.serverName))
    problems.push(`${source}: tls.server_name must be a string`);
  for (const file of TLS_FILES) {
    const data: ConfigDataSource | undefined = tls[file.field];
    if (!data || !('path' in data)) continue;
    const [standard, alias] = file.variables;
    const fromEnv = vars[`${standard}_PATH`] === data.path;
    const name = fromEnv
      ? vars[alias] === data.path
        ? alias
        : `${standard}_PATH`
      : `${source}: tls.${file.toml}_path`;
    try {
      readFileSync(data.path);
    } catch (err) {
      problems.push(`${name}: cannot read ${data.path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    problems.push(
      "TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH, or the profile's tls.client_cert_* and tls.client_key_*): set both for mTLS, or neither",
    );
  }
}

/**
 * The Temporal client profile from the configuration file and the variables (variables win);
 * `tls` is set only when TLS is on. Problems go to `problems`.
 */
export function readClientProfile(env: Env, tls: boolean | undefined, problems: string[]): ClientProfile {
  const vars = standardVariables(env, tls, problems);
  const file = readConfigFile(vars, problems);
  const profile = loadProfile(vars, file, problems);
  if (!profile) return {};
  const source =
    file && !isBlank(file.text)
      ? `profile "${vars.TEMPORAL_PROFILE ?? 'default'}" in ${file.path}`
      : 'the TEMPORAL_* variables';
  checkProfile(profile, vars, source, problems);
  // As the Temporal SDKs decide it: a TLS setting turns TLS on unless it says disabled; an API key alone does too.
  const { disabled, ...tlsSettings } = profile.tls ?? {};
  const tlsOn = profile.tls ? !disabled : profile.apiKey !== undefined;
  return {
    address: profile.address,
    namespace: profile.namespace,
    apiKey: profile.apiKey,
    tls: tlsOn ? tlsSettings : undefined,
    grpcMeta: profile.grpcMeta,
    source: file && !isBlank(file.text) ? source : undefined,
  };
}
