/** Shared fixtures of the WeChat Pay tests: the documented vectors, the throwaway keys and a config for them. */
import { readFileSync } from 'node:fs';
import type { WechatpayConfig } from '../../../../activities/providers/wechatpay/config.js';
import { FIXTURE_KEYS } from '../../../helpers/sandbox.js';

/** What a request vector signs: method, URL, timestamp and nonce (and for A, the Authorization header's mchid and serial). */
export interface RequestInputs {
  method: string;
  url: string;
  timestamp: number;
  nonce_str: string;
  mchid?: string;
  serial_no?: string;
}
interface Signed {
  message: string;
  signature: string;
}

/** docs/providers/wechatpay.md §2.5, §3, §4.4 (test/fixtures/vectors/wechatpay_vectors.json). */
export interface WechatpayVectors {
  /** A GET query: message, digest, signature, Authorization header. */
  A: Signed & { inputs: RequestInputs; sha256: string; authorization: string; verifies: boolean };
  /** A POST refund: the exact body bytes are the fifth line. */
  B: Signed & { inputs: RequestInputs; body: string; sha256: string; verifies: boolean };
  /** A POST reverse. */
  C: Signed & { inputs: RequestInputs; body: string };
  /** An answer signed by the platform key named by `serial`. */
  D: Signed & { body: string; serial: string; verifies: boolean };
  /** A 204 with an empty body. */
  D2: Signed;
  /** A notification: AEAD_AES_256_GCM resource and its signature. */
  E: {
    apiv3key: string;
    nonce: string;
    associated_data: string;
    plaintext: string;
    ciphertext: string;
    notify_body: string;
    sig_message: string;
    signature: string;
    decrypt_roundtrip: boolean;
  };
}

export const V = JSON.parse(readFileSync('test/fixtures/vectors/wechatpay_vectors.json', 'utf8')) as WechatpayVectors;

const key = (name: string): string => readFileSync(`${FIXTURE_KEYS}/${name}`, 'utf8');
export const MERCHANT_PRIVATE = key('wxpay_merchant_private_pkcs8.pem');
export const MERCHANT_PUBLIC = key('wxpay_merchant_public_spki.pem');
export const PLATFORM_PRIVATE = key('wxpay_platform_private_pkcs8.pem');
export const PLATFORM_PUBLIC = key('wxpay_platform_public_spki.pem');
/** A self-signed certificate over the platform key, serial 5157F09E… (platform-certificate mode, §3.4). */
export const PLATFORM_CERT = readFileSync('test/activities/providers/wechatpay/platform-cert.pem', 'utf8');
export const PLATFORM_CERT_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';

/** The vectors' accounts: sp_mchid 1230000109, merchant serial 3775B6A4…, key PUB_KEY_ID_0112…, APIv3 key of vector E. */
export const VECTOR_CONFIG: WechatpayConfig = {
  spMchid: '1230000109',
  merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000000',
  privateKeyPem: MERCHANT_PRIVATE,
  platformKeyId: V.D!.serial!,
  platformPublicKeyPem: PLATFORM_PUBLIC,
  apiV3Key: V.E!.apiv3key!,
  baseUrl: 'https://api.mch.weixin.qq.com',
  maxRps: 20,
};
