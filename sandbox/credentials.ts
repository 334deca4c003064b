/**
 * The sandbox's test credentials, and the environment that points a Rescind worker at it.
 *
 * The sandbox plays both sides, so it holds both halves of every RSA pair. Keys are read from a
 * folder (test/fixtures/keys in tests; .data/keys, generated on first use, for `npm start`).
 * These are throwaway local keys: never use them with a real provider.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const KEY_PAIRS = ['wxpay_merchant', 'wxpay_platform', 'pingpp_merchant', 'pingpp_platform'] as const;
type KeyPairName = (typeof KEY_PAIRS)[number];

export const privateKeyFile = (dir: string, name: KeyPairName): string => join(dir, `${name}_private_pkcs8.pem`);
export const publicKeyFile = (dir: string, name: KeyPairName): string => join(dir, `${name}_public_spki.pem`);

export interface SandboxCredentials {
  payjs: { mchid: string; key: string };
  qfpay: { appCode: string; clientKey: string; mchid: string };
  wechatpay: {
    spMchid: string;
    spAppid: string;
    defaultSubMchid: string;
    merchantSerial: string;
    merchantPublicKeyPem: string;
    platformKeyId: string;
    platformPrivateKeyPem: string;
    apiV3Key: string;
  };
  pingpp: {
    apiKey: string;
    appId: string;
    merchantPublicKeyPem: string;
    platformPrivateKeyPem: string;
  };
}

/** Fixed identifiers and shared secrets of the sandbox accounts (documented in the README). */
export const SANDBOX_ACCOUNTS = {
  payjs: { mchid: '1528140051', key: 'sandbox-payjs-key-0123456789abcdef' },
  qfpay: { appCode: 'SANDBOXAPPCODE0001', clientKey: '0E32A59A8B454940A2FF390000000000', mchid: 'ZaMVg12345' },
  wechatpay: {
    spMchid: '1230000109',
    spAppid: 'wx8888888888888888',
    defaultSubMchid: '1900000109',
    merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000000',
    platformKeyId: 'PUB_KEY_ID_01123000010920210000000000000000',
    apiV3Key: 'sandboxApiV3Key0123456789abcdefg',
  },
  pingpp: { apiKey: 'sk_test_ibbTe5jLGCi5rzfH4OqPW9KC', appId: 'app_1Gqj58ynP0mHeX1q' },
} as const;

/** Make sure a key folder holds all four pairs, generating any that are missing. */
export function ensureKeys(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true });
  for (const name of KEY_PAIRS) {
    if (existsSync(privateKeyFile(abs, name)) && existsSync(publicKeyFile(abs, name))) continue;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    writeFileSync(privateKeyFile(abs, name), privateKey, { mode: 0o600 });
    writeFileSync(publicKeyFile(abs, name), publicKey);
  }
  return abs;
}

export function loadSandboxCredentials(keyDir: string): SandboxCredentials {
  const read = (file: string): string => readFileSync(file, 'utf8');
  return {
    payjs: { ...SANDBOX_ACCOUNTS.payjs },
    qfpay: { ...SANDBOX_ACCOUNTS.qfpay },
    wechatpay: {
      ...SANDBOX_ACCOUNTS.wechatpay,
      merchantPublicKeyPem: read(publicKeyFile(keyDir, 'wxpay_merchant')),
      platformPrivateKeyPem: read(privateKeyFile(keyDir, 'wxpay_platform')),
    },
    pingpp: {
      ...SANDBOX_ACCOUNTS.pingpp,
      merchantPublicKeyPem: read(publicKeyFile(keyDir, 'pingpp_merchant')),
      platformPrivateKeyPem: read(privateKeyFile(keyDir, 'pingpp_platform')),
    },
  };
}
