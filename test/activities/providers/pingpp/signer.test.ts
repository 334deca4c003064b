/**
 * Ping++ signatures against the documented vectors (docs/providers/pingpp.md §2.3, §3): the adapter's signer and
 * the simulator's own, each checked against the vectors rather than only against each other.
 */
import {
  requestStringToSign,
  rsaSign,
  rsaVerify,
  signatureHeaders,
} from '../../../../activities/providers/pingpp/signer.js';
import { signBody, verifyRequestSignature } from '../../../../sandbox/providers/pingpp/signing.js';
import {
  CHARGE,
  MERCHANT_PRIVATE,
  MERCHANT_PUBLIC,
  PLATFORM_PRIVATE,
  PLATFORM_PUBLIC,
  SDK_EXAMPLE_PUBLIC,
  SDK_EXAMPLE_WEBHOOK,
  TIMESTAMP,
  VECTORS,
} from './vectors.js';

describe('request string to sign: raw body + request URI + timestamp, no separators (§2.1)', () => {
  it.each([
    ['reverse_post', '{}', `/v1/charges/${CHARGE}/reverse`],
    ['refund_post', VECTORS.refund_post.body, `/v1/charges/${CHARGE}/refunds`],
    // pingpp-nodejs sends GETs with a trailing "?" and signs it; Go/PHP/Java do not.
    ['retrieve_get_node', '', `/v1/charges/${CHARGE}?`],
    ['retrieve_get_other', '', `/v1/charges/${CHARGE}`],
  ] as const)('%s', (name, body, uri) => {
    expect(requestStringToSign(body, uri, TIMESTAMP)).toBe(VECTORS[name].string_to_sign);
    expect(requestStringToSign(body, uri, Number(TIMESTAMP))).toBe(VECTORS[name].string_to_sign);
  });
});

describe.each(['reverse_post', 'refund_post', 'retrieve_get_node', 'retrieve_get_other'] as const)(
  'vector %s',
  (name) => {
    const v = VECTORS[name];

    it('the adapter signs it to the documented signature (RSA-SHA256 PKCS#1 v1.5 is deterministic)', () => {
      expect(rsaSign(v.string_to_sign, MERCHANT_PRIVATE)).toBe(v.signature);
    });

    it('the simulator verifies the documented signature, and refuses a changed URI, timestamp or key', () => {
      const body = name === 'reverse_post' ? '{}' : name === 'refund_post' ? VECTORS.refund_post.body : '';
      const uri = v.string_to_sign.slice(body.length, -TIMESTAMP.length);
      expect(verifyRequestSignature(body, uri, TIMESTAMP, v.signature, MERCHANT_PUBLIC)).toBe(true);
      expect(verifyRequestSignature(body, `${uri}x`, TIMESTAMP, v.signature, MERCHANT_PUBLIC)).toBe(false);
      expect(verifyRequestSignature(body, uri, '1475029156', v.signature, MERCHANT_PUBLIC)).toBe(false);
      expect(verifyRequestSignature(body, uri, TIMESTAMP, v.signature, PLATFORM_PUBLIC)).toBe(false);
    });
  },
);

it('signatureHeaders carries the same timestamp it signed', () => {
  const headers = signatureHeaders('{}', `/v1/charges/${CHARGE}/reverse`, Number(TIMESTAMP), MERCHANT_PRIVATE);
  expect(headers).toEqual({
    'pingplusplus-request-timestamp': TIMESTAMP,
    'pingplusplus-signature': VECTORS.reverse_post.signature,
  });
});

it('the Node SDK and Go/PHP/Java forms of a GET differ only by the trailing "?" — and the signatures differ', () => {
  expect(VECTORS.retrieve_get_node.signature).not.toBe(VECTORS.retrieve_get_other.signature);
  expect(
    rsaVerify(VECTORS.retrieve_get_other.string_to_sign, VECTORS.retrieve_get_node.signature, MERCHANT_PUBLIC),
  ).toBe(false);
});

describe('webhook and response signatures: RSA-SHA256 over the raw body (§3)', () => {
  it('the fixture webhook vector: the simulator signs it to the documented value, the adapter verifies it', () => {
    const { raw_body, x_pingplusplus_signature } = VECTORS.webhook;
    expect(signBody(raw_body, PLATFORM_PRIVATE)).toBe(x_pingplusplus_signature);
    expect(rsaVerify(raw_body, x_pingplusplus_signature, PLATFORM_PUBLIC)).toBe(true);
    expect(rsaVerify(Buffer.from(raw_body, 'utf8'), x_pingplusplus_signature, PLATFORM_PUBLIC)).toBe(true);
  });

  it("Ping++'s own SDK example webhook verifies with the SDK's example key", () => {
    expect(rsaVerify(SDK_EXAMPLE_WEBHOOK.raw_body, SDK_EXAMPLE_WEBHOOK.signature, SDK_EXAMPLE_PUBLIC)).toBe(true);
  });

  it('a re-serialised body, a changed byte, a wrong key, an empty or garbage signature do not verify', () => {
    const { raw_body, x_pingplusplus_signature } = VECTORS.webhook;
    expect(rsaVerify(JSON.stringify(JSON.parse(raw_body), null, 1), x_pingplusplus_signature, PLATFORM_PUBLIC)).toBe(
      false,
    );
    expect(rsaVerify(raw_body.replace('"amount":1', '"amount":2'), x_pingplusplus_signature, PLATFORM_PUBLIC)).toBe(
      false,
    );
    expect(rsaVerify(raw_body, x_pingplusplus_signature, SDK_EXAMPLE_PUBLIC)).toBe(false);
    expect(rsaVerify(raw_body, '', PLATFORM_PUBLIC)).toBe(false);
    expect(rsaVerify(raw_body, undefined, PLATFORM_PUBLIC)).toBe(false);
    expect(rsaVerify(raw_body, 'not base64 at all!', PLATFORM_PUBLIC)).toBe(false);
    expect(rsaVerify(raw_body, x_pingplusplus_signature, 'not a key')).toBe(false);
  });
});
