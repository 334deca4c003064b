/**
 * Temporal's standard client configuration (@temporalio/envconfig): TOML profiles, TEMPORAL_PROFILE,
 * TEMPORAL_CONFIG_FILE, the TEMPORAL_* variables over the file, Rescind's older TLS names, and a bad
 * file as a problem naming it. The same profile file then connects Rescind and the Temporal CLI to a
 * real dev server.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigError, type Env } from '../../platform/env.js';
import { connectClient, loadTemporalSettings } from '../../platform/temporal.js';
import { TEMPORAL_BIN } from '../../scripts/install-temporal-cli.mjs';
import { startTestTemporal } from '../helpers/temporal.js';

const dir = mkdtempSync(join(tmpdir(), 'rescind-envconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CERT = resolve('test/fixtures/keys/wxpay_merchant_public_spki.pem');
const KEY = resolve('test/fixtures/keys/wxpay_merchant_private_pkcs8.pem');
const API_KEY = 'tmprl-secret-api-key-0123456789';

let written = 0;
/** A TOML file in the test folder; returns its path. */
function toml(text: string, name = `config-${++written}.toml`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const PROFILES = toml(`
[profile.default]
address = "temporal.internal:7233"
namespace = "payments"

[profile.prod]
address = "payments.a1b2c.tmprl.cloud:7233"
namespace = "payments.a1b2c"
api_key = "${API_KEY}"

[profile.prod.tls]
server_name = "payments.a1b2c.tmprl.cloud"

[profile.mtls]
address = "temporal.corp:7233"
namespace = "rescind"

[profile.mtls.tls]
client_cert_path = "${CERT}"
client_key_path = "${KEY}"

[profile.mtls.grpc_meta]
x-team = "payments"
`);

/** The message of the ConfigError loading `env` throws; fails the test if it loads. */
function problemsOf(env: Env): string {
  try {
    loadTemporalSettings(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('profiles in a TOML file', () => {
  it('reads the default profile of TEMPORAL_CONFIG_FILE', () => {
    expect(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: PROFILES }).temporal).toEqual({
      address: 'temporal.internal:7233',
      namespace: 'payments',
      profile: `profile "default" in ${PROFILES}`,
    });
  });

  it('reads the profile TEMPORAL_PROFILE names: an API key turns TLS on (Temporal Cloud), mTLS files and gRPC headers', () => {
    expect(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'prod' }).temporal).toEqual({
      address: 'payments.a1b2c.tmprl.cloud:7233',
      namespace: 'payments.a1b2c',
      apiKey: API_KEY,
      tls: { serverName: 'payments.a1b2c.tmprl.cloud' },
      profile: `profile "prod" in ${PROFILES}`,
    });
    expect(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'mtls' }).temporal).toMatchObject({
      address: 'temporal.corp:7233',
      tls: { clientCert: { path: CERT }, clientKey: { path: KEY } },
      grpcMeta: { 'x-team': 'payments' },
    });
  });

  it('finds the file where the Temporal CLI looks when TEMPORAL_CONFIG_FILE is unset', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'temporalio'), { recursive: true });
    toml('[profile.default]\naddress = "from-home:7233"\n', join('home', '.config', 'temporalio', 'temporal.toml'));
    expect(loadTemporalSettings({ HOME: home }).temporal.address).toBe('from-home:7233');
    expect(loadTemporalSettings({ HOME: join(dir, 'nobody') }).temporal.address).toBe('127.0.0.1:7233');
    expect(
      loadTemporalSettings({ HOME: join(dir, 'nobody'), XDG_CONFIG_HOME: join(home, '.config') }).temporal.address,
    ).toBe('from-home:7233');
  });
});

describe('variables over the file', () => {
  it('TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY and TEMPORAL_GRPC_META_* win over the profile', () => {
    const env = {
      TEMPORAL_CONFIG_FILE: PROFILES,
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_ADDRESS: 'other:7233',
      TEMPORAL_NAMESPACE: 'other',
      TEMPORAL_API_KEY: 'k2',
      TEMPORAL_GRPC_META_X_TRACE: 'on',
    };
    expect(loadTemporalSettings(env).temporal).toMatchObject({
      address: 'other:7233',
      namespace: 'other',
      apiKey: 'k2',
      grpcMeta: { 'x-trace': 'on' },
    });
  });

  it('TEMPORAL_TLS=false turns TLS off even with an API key; an empty variable counts as unset', () => {
    expect(
      loadTemporalSettings({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'prod', TEMPORAL_TLS: 'false' }).temporal
        .tls,
    ).toBeUndefined();
    expect(loadTemporalSettings({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'no' }).temporal.tls).toBeUndefined();
    expect(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_ADDRESS: '' }).temporal.address).toBe(
      'temporal.internal:7233',
    );
  });

  it("keeps Rescind's TLS names working as aliases of the standard ones", () => {
    const legacy = loadTemporalSettings({
      TEMPORAL_ADDRESS: 'temporal.corp:7233',
      TEMPORAL_TLS_CERT_PATH: CERT,
      TEMPORAL_TLS_KEY_PATH: KEY,
      TEMPORAL_TLS_CA_PATH: CERT,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.corp',
    });
    const standard = loadTemporalSettings({
      TEMPORAL_ADDRESS: 'temporal.corp:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: CERT,
      TEMPORAL_TLS_CLIENT_KEY_PATH: KEY,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: CERT,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.corp',
    });
    expect(legacy.temporal).toEqual(standard.temporal);
    expect(legacy.temporal.tls).toEqual({
      serverName: 'temporal.corp',
      clientCert: { path: CERT },
      clientKey: { path: KEY },
      serverCACert: { path: CERT },
    });
  });

  it('names the variable for a TLS file that cannot be read, a half pair, or two names for one file', () => {
    const missing = join(dir, 'no-such-cert.pem');
    expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: missing, TEMPORAL_TLS_KEY_PATH: KEY })).toContain(
      `TEMPORAL_TLS_CERT_PATH: cannot read ${missing} (ENOENT)`,
    );
    expect(problemsOf({ TEMPORAL_TLS_CLIENT_KEY_PATH: missing, TEMPORAL_TLS_CLIENT_CERT_PATH: CERT })).toContain(
      `TEMPORAL_TLS_CLIENT_KEY_PATH: cannot read ${missing} (ENOENT)`,
    );
    expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: CERT })).toContain('set both for mTLS, or neither');
    expect(
      problemsOf({ TEMPORAL_TLS_CERT_PATH: CERT, TEMPORAL_TLS_CLIENT_CERT_PATH: KEY, TEMPORAL_TLS_KEY_PATH: KEY }),
    ).toContain('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_CLIENT_CERT_PATH: both set, to different files; keep one');
  });
});

describe('a bad configuration file', () => {
  it('is a problem naming TEMPORAL_CONFIG_FILE, the line and column, and never quoting the file', () => {
    const broken = toml(`[profile.default]\naddress = "temporal.internal:7233\napi_key = "${API_KEY}"\n`);
    const message = problemsOf({ TEMPORAL_CONFIG_FILE: broken });
    expect(message).toContain(`TEMPORAL_CONFIG_FILE (${broken}): not valid TOML at line 2, column`);
    expect(message).not.toContain(API_KEY);
  });

  it('names a file that does not exist, a profile it lacks, and values of the wrong type', () => {
    const nowhere = join(dir, 'nowhere.toml');
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: nowhere })).toContain(
      `TEMPORAL_CONFIG_FILE (${nowhere}): cannot read it (ENOENT)`,
    );
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: PROFILES, TEMPORAL_PROFILE: 'staging' })).toContain(
      `TEMPORAL_PROFILE: profile "staging" not found in ${PROFILES}`,
    );
    expect(problemsOf({ TEMPORAL_PROFILE: 'staging' })).toContain(
      'TEMPORAL_PROFILE: profile "staging" not found: there is no config file (set TEMPORAL_CONFIG_FILE)',
    );
    const typed = toml('[profile.default]\naddress = 7233\n');
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: typed })).toContain(
      `profile "default" in ${typed}: address must be a string`,
    );
    const flat = toml('address = "somewhere:7233"\n');
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: flat })).toContain(
      `TEMPORAL_CONFIG_FILE (${flat}): not a Temporal client config (profiles are [profile.<name>] tables)`,
    );
    const tlsFile = toml(
      `[profile.default.tls]\nclient_cert_path = "${join(dir, 'gone.pem')}"\nclient_key_path = "${KEY}"\n`,
    );
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: tlsFile })).toContain(
      `profile "default" in ${tlsFile}: tls.client_cert_path: cannot read ${join(dir, 'gone.pem')} (ENOENT)`,
    );
  });

  it('accepts a file with only comments (no profiles yet)', () => {
    expect(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: toml('# profiles go here\n\n') }).temporal.address).toBe(
      '127.0.0.1:7233',
    );
  });
});

describe('against a real dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTestTemporal();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('one profile file connects both Rescind and the Temporal CLI; TEMPORAL_ADDRESS overrides a stale address', async () => {
    const file = toml(
      `[profile.local]\naddress = "${env.address}"\nnamespace = "default"\n\n[profile.stale]\naddress = "127.0.0.1:1"\nnamespace = "default"\n`,
    );
    const settings = loadTemporalSettings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'local' });
    const client = await connectClient(settings.temporal);
    try {
      const { namespaceInfo } = await client.workflowService.describeNamespace({
        namespace: settings.temporal.namespace,
      });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await client.connection.close();
    }
    const overridden = await connectClient(
      loadTemporalSettings({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'stale', TEMPORAL_ADDRESS: env.address })
        .temporal,
    );
    await overridden.workflowService.getSystemInfo({});
    await overridden.connection.close();

    const cli = spawnSync(
      TEMPORAL_BIN,
      ['operator', 'namespace', 'describe', '--namespace', 'default', '--output', 'json'],
      {
        env: { PATH: process.env.PATH, HOME: dir, TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'local' },
        encoding: 'utf8',
      },
    );
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(cli.stdout)).toMatchObject({ namespaceInfo: { name: 'default' } });
  });
});
