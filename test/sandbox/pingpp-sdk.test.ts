/**
 * The sandbox driven by Ping++'s own Node SDK (`pingpp` from npm), code we did not write: it must
 * accept the SDK's Basic auth and RSA-signed requests (GETs signed with their trailing "?"), answer
 * in the shapes the SDK reads (its error classes by status and type), and model the absence of
 * refund idempotency. The SDK's base path is fixed to /v1/, so it talks to the sandbox's root alias.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { createPingppAdapter } from '../../activities/providers/pingpp/index.js';
import type { OrderRef } from '../../domain/index.js';
import { pingppSandboxSettings as settings, resetPingppSandboxSettings } from '../../sandbox/providers/pingpp/index.js';
import { MERCHANT_PRIVATE, PLATFORM_PRIVATE } from '../activities/providers/pingpp/vectors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

// pingpp@2.1.6 writes the body only on a socket's "connect" event, which a reused keep-alive
// socket never fires: on Node ≥ 19 every second request would hang (docs/providers/pingpp.md §10).
http.globalAgent = new http.Agent({ keepAlive: false });

/** The SDK ships no types: the few calls used here, typed loosely on purpose. */
interface PingppSdk {
  setHost(host: string, port: number, protocol: string): void;
  setPrivateKey(pem: string): void;
  charges: {
    retrieve(id: string): Promise<any>;
    reverse(id: string, params: object): Promise<any>;
    createRefund(id: string, params: object): Promise<any>;
    listRefunds(id: string, params: object): Promise<any>;
    retrieveRefund(id: string, refundId: string): Promise<any>;
  };
}
const require = createRequire(import.meta.url);
const Pingpp = require('pingpp') as (key: string) => PingppSdk;

let sb: TestSandbox;
/** The SDK as a merchant with request signing set up (setPrivateKey). */
let sdk: PingppSdk;
/** The same SDK without a private key. */
let unsigned: PingppSdk;

const client = (key: string, privateKey?: string): PingppSdk => {
  const url = new URL(sb.sandbox.url);
  const c = Pingpp(key);
  c.setHost(url.hostname, Number(url.port), 'http');
  if (privateKey) c.setPrivateKey(privateKey);
  return c;
};

beforeAll(async () => {
  sb = await startTestSandbox();
  sdk = client(sb.config.providers.pingpp!.apiKey, MERCHANT_PRIVATE);
  unsigned = client(sb.config.providers.pingpp!.apiKey);
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetPingppSandboxSettings();
  await sb.admin('DELETE', '/faults');
});

const make = async (state: string, payType: string, extra: Record<string, unknown> = {}) =>
  sb.admin('POST', '/orders', { provider: 'pingpp', state, amount: 3000, payType, ...extra });
const ledgerOf = async (orderId: string) =>
  (await sb.admin('GET', '/ledger')).orders.find((o: { orderId: string }) => o.orderId === orderId);

it('retrieve: a signed GET (trailing "?" and all) returns the charge', async () => {
  const order = await make('unpaid', 'wx_pub_scan');
  expect(await sdk.charges.retrieve(order.providerOrderId)).toMatchObject({
    id: order.providerOrderId,
    object: 'charge',
    paid: false,
    reversed: false,
    amount: 3000,
    order_no: order.orderId,
    channel: 'wx_pub_scan',
    app: order.merchantId,
  });
});

it('reverse: a paid scan charge is reversed once, its money returned by the reversal', async () => {
  const order = await make('paid', 'alipay_scan');
  expect(await sdk.charges.reverse(order.providerOrderId, {})).toMatchObject({
    id: order.providerOrderId,
    paid: true,
    reversed: true,
    refunded: false,
  });
  expect(await sdk.charges.reverse(order.providerOrderId, {})).toMatchObject({ reversed: true });
  expect(await ledgerOf(order.orderId)).toMatchObject({
    paid: 3000,
    returned: 3000,
    refundCount: 0,
    overReturned: false,
  });
});

it('createRefund twice with the same body makes two refunds (no idempotency), listRefunds and retrieveRefund see both', async () => {
  const order = await make('paid', 'alipay_qr');
  const params = { amount: 1000, description: 'sdk refund', metadata: { refund_key: 'sdk-key' } };
  const first = await sdk.charges.createRefund(order.providerOrderId, params);
  const second = await sdk.charges.createRefund(order.providerOrderId, params);
  expect(first).toMatchObject({
    object: 'refund',
    amount: 1000,
    status: 'succeeded',
    charge: order.providerOrderId,
    metadata: { refund_key: 'sdk-key' },
  });
  expect(second.id).not.toBe(first.id);
  expect(await ledgerOf(order.orderId)).toMatchObject({ refundCount: 2, returned: 2000, overReturned: false });

  const listed = await sdk.charges.listRefunds(order.providerOrderId, { limit: 10 });
  expect(listed).toMatchObject({ object: 'list', has_more: false });
  expect(listed.data.map((r: { id: string }) => r.id)).toEqual([second.id, first.id]);
  const page = await sdk.charges.listRefunds(order.providerOrderId, { limit: 1, starting_after: second.id });
  expect(page).toMatchObject({ has_more: false, data: [{ id: first.id }] });
  expect(await sdk.charges.retrieveRefund(order.providerOrderId, first.id)).toMatchObject({
    id: first.id,
    status: 'succeeded',
    amount: 1000,
    description: 'sdk refund',
  });
  expect(await sdk.charges.retrieve(order.providerOrderId)).toMatchObject({ refunded: true, amount_refunded: 2000 });
});

it('a refund the SDK made under a key is what our adapter finds: it answers "already" and writes nothing', async () => {
  const order = await make('paid', 'alipay_qr');
  await sdk.charges.createRefund(order.providerOrderId, {
    amount: 3000,
    description: 'by the SDK',
    metadata: { refund_key: `${order.orderId}:refund:1` },
  });
  const ref: OrderRef = {
    provider: 'pingpp',
    merchantId: order.merchantId,
    orderId: order.orderId,
    providerOrderId: order.providerOrderId,
    amount: 3000,
    payType: 'alipay_qr',
  };
  const adapter = createPingppAdapter(sb.config.providers.pingpp!);
  expect(
    await adapter.refundOrder(ref, { refundKey: `${order.orderId}:refund:1`, amount: 3000, totalAmount: 3000 }),
  ).toMatchObject({ result: 'already' });
  expect(await adapter.queryOrder(ref)).toMatchObject({ status: 'refunded', full: true });
  expect(await ledgerOf(order.orderId)).toMatchObject({ refundCount: 1, returned: 3000 });
});

it('setPrivateKey signing is what the sandbox requires: without it a POST is refused, GETs still work', async () => {
  const order = await make('paid', 'alipay_qr');
  expect(await unsigned.charges.retrieve(order.providerOrderId)).toMatchObject({ paid: true });
  await expect(
    unsigned.charges.createRefund(order.providerOrderId, { amount: 100, description: 'x' }),
  ).rejects.toMatchObject({ type: 'PingppAuthenticationError', message: expect.stringContaining('signature') });
  settings.requireSignedWrites = false;
  expect(await unsigned.charges.createRefund(order.providerOrderId, { amount: 100, description: 'x' })).toMatchObject({
    status: 'succeeded',
  });
  expect(await ledgerOf(order.orderId)).toMatchObject({ refundCount: 1 });
});

it('signed with the wrong key, or with a wrong API key: PingppAuthenticationError, nothing applied', async () => {
  const order = await make('paid', 'wx_pub_scan');
  const wrongKey = client(sb.config.providers.pingpp!.apiKey, PLATFORM_PRIVATE);
  await expect(wrongKey.charges.retrieve(order.providerOrderId)).rejects.toMatchObject({
    type: 'PingppAuthenticationError',
  });
  await expect(wrongKey.charges.reverse(order.providerOrderId, {})).rejects.toMatchObject({
    type: 'PingppAuthenticationError',
  });
  await expect(
    client('sk_test_notTheSandboxKey', MERCHANT_PRIVATE).charges.retrieve(order.providerOrderId),
  ).rejects.toMatchObject({ type: 'PingppAuthenticationError', rawType: 'invalid_request_error' });
  expect(await ledgerOf(order.orderId)).toMatchObject({ returned: 0 });
});

it("the SDK's error classes read the sandbox's answers as Ping++'s: 400/404, 402 channel_error, 500, 403", async () => {
  const order = await make('paid', 'alipay_qr');
  await expect(sdk.charges.createRefund(order.providerOrderId, { amount: 100 })).rejects.toMatchObject({
    type: 'PingppInvalidRequest',
    param: 'description',
  });
  await expect(sdk.charges.retrieve('ch_000000000000000000000000')).rejects.toMatchObject({
    type: 'PingppInvalidRequest',
    param: 'id',
  });
  await expect(sdk.charges.reverse(order.providerOrderId, {})).rejects.toMatchObject({
    type: 'PingppInvalidRequest',
    message: expect.stringContaining('refund'),
  });
  await sb.admin('POST', '/faults', {
    provider: 'pingpp',
    call: 'refund',
    kind: 'in_progress',
    codes: ['channel_busy'],
  });
  await expect(
    sdk.charges.createRefund(order.providerOrderId, { amount: 100, description: 'x' }),
  ).rejects.toMatchObject({ type: 'PingppChannelError', code: 'channel_busy' });
  await sb.admin('POST', '/faults', { provider: 'pingpp', call: 'query', kind: 'http_500' });
  await expect(sdk.charges.retrieve(order.providerOrderId)).rejects.toMatchObject({ type: 'PingppAPIError' });
  settings.rateLimitStatus = 403;
  await sb.admin('POST', '/faults', { provider: 'pingpp', call: 'queryRefund', kind: 'rate_limit' });
  await expect(sdk.charges.listRefunds(order.providerOrderId, { limit: 10 })).rejects.toMatchObject({
    type: 'PingppRateLimitError',
  });
  expect(await ledgerOf(order.orderId)).toMatchObject({ refundCount: 0 });
});
