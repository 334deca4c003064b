/**
 * Ping++ vectors: test/fixtures/vectors/pingpp_vectors.json (docs/providers/pingpp.md §2.3, §3; computed
 * independently of this code with the throwaway fixture keys), and the webhook published in Ping++'s
 * own Node SDK example (test/fixtures/vectors/pingpp_sdk_example_webhook.json), which verifies with
 * the SDK's example public key (test/fixtures/keys/pingpp_sdk_example_platform_public.pem).
 */
import { readFileSync } from 'node:fs';
import { FIXTURE_KEYS } from '../../../helpers/sandbox.js';

interface SignedString {
  string_to_sign: string;
  signature: string;
}
export interface PingppVectors {
  /** The charge and timestamp every request vector signs. */
  inputs: { charge: string; timestamp: string };
  reverse_post: SignedString;
  refund_post: SignedString & { body: string };
  retrieve_get_node: SignedString;
  retrieve_get_other: SignedString;
  webhook: { raw_body: string; x_pingplusplus_signature: string };
}

export const VECTORS = JSON.parse(readFileSync('test/fixtures/vectors/pingpp_vectors.json', 'utf8')) as PingppVectors;
export const { timestamp: TIMESTAMP, charge: CHARGE } = VECTORS.inputs;

export const key = (name: string): string => readFileSync(`${FIXTURE_KEYS}/${name}`, 'utf8');
export const MERCHANT_PRIVATE = key('pingpp_merchant_private_pkcs8.pem');
export const MERCHANT_PUBLIC = key('pingpp_merchant_public_spki.pem');
export const PLATFORM_PRIVATE = key('pingpp_platform_private_pkcs8.pem');
export const PLATFORM_PUBLIC = key('pingpp_platform_public_spki.pem');
export const SDK_EXAMPLE_PUBLIC = key('pingpp_sdk_example_platform_public.pem');

/** The event and signature printed in Ping++'s Node SDK webhook example. */
export const SDK_EXAMPLE_WEBHOOK = JSON.parse(
  readFileSync('test/fixtures/vectors/pingpp_sdk_example_webhook.json', 'utf8'),
) as { raw_body: string; signature: string };
