/**
 * Key and certificate files are parsed when the configuration loads: a file that cannot sign or
 * verify (garbage, truncated, empty, the wrong half of the pair, not RSA, too short) stops the
 * process with a problem naming the variable and the file, instead of a worker that fails later.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxWorkerEnv } from '../../sandbox/worker-env.js';
import { ConfigError, loadConfig } from '../../worker/config.js';
import { FIXTURE_KEYS } from '../helpers/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'rescind-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const good = sandboxWorkerEnv('http://127.0.0.1:4100', FIXTURE_KEYS);
const privatePem = readFileSync(good.WECHATPAY_PRIVATE_KEY_PATH!, 'utf8');
const publicPem = readFileSync(good.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH!, 'utf8');
const short = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const ec = generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const FILES = {
  garbage: file('garbage.pem', 'this is not a key\n'),
  truncated: file('truncated.pem', privatePem.slice(0, Math.floor(privatePem.length / 2))),
  empty: file('empty.pem', ''),
  public: file('public.pem', publicPem),
  private: file('private.pem', privatePem),
  short: file('short-private.pem', short.privateKey),
  shortPublic: file('short-public.pem', short.publicKey),
  ec: file('ec-private.pem', ec.privateKey),
  ecPublic: file('ec-public.pem', ec.publicKey),
};

/** The problems loadConfig reports for `env`; fails the test when it loads. */
function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('WECHATPAY_PRIVATE_KEY_PATH', () => {
  it.each([
    ['garbage', FILES.garbage, 'is not a PEM private key'],
    ['a truncated key', FILES.truncated, 'is not a PEM private key'],
    ['an empty file', FILES.empty, 'is empty'],
    ['a public key', FILES.public, 'holds a public key; give the private key'],
    ['a 1024-bit key', FILES.short, 'is a 1024-bit RSA key; at least 2048 bits are required'],
    ['an EC key', FILES.ec, 'is a key of type ec; an RSA key is required'],
  ])('refuses %s, naming the variable and the file', (_what, path, why) => {
    const message = problems({ ...good, WECHATPAY_PRIVATE_KEY_PATH: path });
    expect(message).toContain(`WECHATPAY_PRIVATE_KEY_PATH: ${path} ${why}`);
  });

  it('an empty key file no longer drops WeChat Pay silently', () => {
    expect(() => loadConfig({ ...good, WECHATPAY_PRIVATE_KEY_PATH: FILES.empty })).toThrow(ConfigError);
  });
});

describe('WECHATPAY_PLATFORM_PUBLIC_KEY_PATH', () => {
  it.each([
    ['garbage', FILES.garbage, 'is not a PEM public key or certificate'],
    ['a private key', FILES.private, 'holds a private key; give the public key'],
    ['a 1024-bit key', FILES.shortPublic, 'is a 1024-bit RSA key; at least 2048 bits are required'],
    ['an EC key', FILES.ecPublic, 'is a key of type ec; an RSA key is required'],
    ['an empty file', FILES.empty, 'is empty'],
  ])('refuses %s', (_what, path, why) => {
    expect(problems({ ...good, WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: path })).toContain(
      `WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: ${path} ${why}`,
    );
  });

  it('accepts a platform certificate (X.509) as well as a public key', () => {
    const key = join(dir, 'cert-key.pem');
    const cert = join(dir, 'platform-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=rescind-test',
      ],
      { stdio: 'ignore' },
    );
    expect(
      loadConfig({ ...good, WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: cert }).providers.wechatpay?.platformPublicKeyPem,
    ).toContain('BEGIN CERTIFICATE');
  });
});

describe('Ping++ key files', () => {
  it.each([
    ['PINGPP_PRIVATE_KEY_PATH', FILES.garbage, 'is not a PEM private key'],
    ['PINGPP_PRIVATE_KEY_PATH', FILES.public, 'holds a public key; give the private key'],
    ['PINGPP_PRIVATE_KEY_PATH', FILES.empty, 'is empty'],
    ['PINGPP_WEBHOOK_PUBLIC_KEY_PATH', FILES.private, 'holds a private key; give the public key'],
    ['PINGPP_WEBHOOK_PUBLIC_KEY_PATH', FILES.truncated, 'is not a PEM public key or certificate'],
  ])('%s refuses %s', (name, path, why) => {
    expect(problems({ ...good, [name]: path })).toContain(`${name}: ${path} ${why}`);
  });
});

describe('good keys', () => {
  it('load as before, every provider configured', () => {
    const config = loadConfig(good);
    expect(Object.keys(config.providers).sort()).toEqual(['payjs', 'pingpp', 'qfpay', 'wechatpay']);
    expect(config.providers.pingpp?.privateKeyPem).toBe(readFileSync(good.PINGPP_PRIVATE_KEY_PATH!, 'utf8'));
  });

  it('a missing file is still named with its error code', () => {
    expect(problems({ ...good, PINGPP_PRIVATE_KEY_PATH: join(dir, 'nope.pem') })).toContain(
      `PINGPP_PRIVATE_KEY_PATH: cannot read ${join(dir, 'nope.pem')} (ENOENT)`,
    );
  });
});
