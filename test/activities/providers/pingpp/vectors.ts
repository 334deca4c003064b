/**
 * Ping++ vectors: test/fixtures/vectors/pingpp_vectors.json (docs/providers/pingpp.md §2.3, §3; computed
 * independently of this code with the throwaway fixture keys), and the webhook
 * published in Ping++'s own Node SDK example (example/webhooks_verify.js), which verifies with
 * the SDK's example public key (fixtures/keys/pingpp_sdk_example_platform_public.pem).
 */
import { readFileSync } from 'node:fs';
import { FIXTURE_KEYS } from '../../../helpers/sandbox.js';

interface SignedString {
  string_to_sign: string;
  signature: string;
}
export interface PingppVectors {
  reverse_post: SignedString;
  refund_post: SignedString & { body: string };
  retrieve_get_node: SignedString;
  retrieve_get_other: SignedString;
  webhook: { raw_body: string; x_pingplusplus_signature: string };
}

export const VECTORS = JSON.parse(readFileSync('test/fixtures/vectors/pingpp_vectors.json', 'utf8')) as PingppVectors;
export const TIMESTAMP = '1475029155';
export const CHARGE = 'ch_injTG4KGWPePS88WPGPyfzz5';

export const key = (name: string): string => readFileSync(`${FIXTURE_KEYS}/${name}`, 'utf8');
export const MERCHANT_PRIVATE = key('pingpp_merchant_private_pkcs8.pem');
export const MERCHANT_PUBLIC = key('pingpp_merchant_public_spki.pem');
export const PLATFORM_PRIVATE = key('pingpp_platform_private_pkcs8.pem');
export const PLATFORM_PUBLIC = key('pingpp_platform_public_spki.pem');
export const SDK_EXAMPLE_PUBLIC = key('pingpp_sdk_example_platform_public.pem');

/** The event and signature printed in pingpp-nodejs example/webhooks_verify.js. */
export const SDK_EXAMPLE_WEBHOOK = {
  raw_body:
    '{"id":"evt_eYa58Wd44Glerl8AgfYfd1sL","created":1434368075,"livemode":true,"type":"charge.succeeded","data":{"object":{"id":"ch_bq9IHKnn6GnLzsS0swOujr4x","object":"charge","created":1434368069,"livemode":true,"paid":true,"refunded":false,"app":"app_vcPcqDeS88ixrPlu","channel":"wx","order_no":"2015d019f7cf6c0d","client_ip":"140.227.22.72","amount":100,"amount_settle":0,"currency":"cny","subject":"An Apple","body":"A Big Red Apple","extra":{},"time_paid":1434368074,"time_expire":1434455469,"time_settle":null,"transaction_no":"1014400031201506150354653857","refunds":{"object":"list","url":"/v1/charges/ch_bq9IHKnn6GnLzsS0swOujr4x/refunds","has_more":false,"data":[]},"amount_refunded":0,"failure_code":null,"failure_msg":null,"metadata":{},"credential":{},"description":null}},"object":"event","pending_webhooks":0,"request":"iar_Xc2SGjrbdmT0eeKWeCsvLhbL"}',
  signature:
    'BX5sToHUzPSJvAfXqhtJicsuPjt3yvq804PguzLnMruCSvZ4C7xYS4trdg1blJPh26eeK/P2QfCCHpWKedsRS3bPKkjAvugnMKs+3Zs1k+PshAiZsET4sWPGNnf1E89Kh7/2XMa1mgbXtHt7zPNC4kamTqUL/QmEVI8LJNq7C9P3LR03kK2szJDhPzkWPgRyY2YpD2eq1aCJm0bkX9mBWTZdSYFhKt3vuM1Qjp5PWXk0tN5h9dNFqpisihK7XboB81poER2SmnZ8PIslzWu2iULM7VWxmEDA70JKBJFweqLCFBHRszA8Nt3AXF0z5qe61oH1oSUmtPwNhdQQ2G5X3g==',
};
