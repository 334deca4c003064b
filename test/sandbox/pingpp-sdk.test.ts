/**
 * The sandbox driven by Ping++'s own Node SDK (`pingpp`), code we did not write: it must accept
 * the SDK's auth and RSA-signed requests, and model the absence of refund idempotency.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

// pingpp@2.1.6 loses every second request on a kept-alive socket on Node ≥ 19 (pingpp.md §10).
http.globalAgent = new http.Agent({ keepAlive: false });
const require = createRequire(import.meta.url);
type Pingpp = Record<string, any>;

let sb: TestSandbox;
let pingpp: Pingpp;
beforeAll(async () => {
  sb = await startTestSandbox();
  const url = new URL(sb.sandbox.url);
  pingpp = require('pingpp')(sb.config.providers.pingpp!.apiKey) as Pingpp;
  pingpp.setHost(url.hostname, Number(url.port), 'http');
  pingpp.setPrivateKey(readFileSync(`${FIXTURE_KEYS}/pingpp_merchant_private_pkcs8.pem`, 'utf8'));
});
afterAll(async () => sb.close());

const make = async (state: string, payType: string) => sb.admin('POST', '/orders', { provider: 'pingpp', state, amount: 3000, payType });

it('retrieve, reverse, createRefund twice (two refunds: no idempotency), listRefunds, retrieveRefund', async () => {
  const unpaid = await make('unpaid', 'wx_pub_scan');
  const charge = await pingpp.charges.retrieve(unpaid.providerOrderId);
  expect(charge).toMatchObject({ id: unpaid.providerOrderId, object: 'charge', paid: false, amount: 3000, order_no: unpaid.orderId });
  expect(await pingpp.charges.reverse(unpaid.providerOrderId, {})).toMatchObject({ reversed: true });

  const paid = await make('paid', 'alipay_qr');
  const first = await pingpp.charges.createRefund(paid.providerOrderId, { amount: 1000, description: 'sdk refund' });
  const second = await pingpp.charges.createRefund(paid.providerOrderId, { amount: 1000, description: 'sdk refund' });
  expect(first.id).not.toBe(second.id);
  const ledger = await sb.admin('GET', '/ledger');
  expect(ledger.orders.find((o: { orderId: string }) => o.orderId === paid.orderId)).toMatchObject({ refundCount: 2, returned: 2000 });

  const listed = await pingpp.charges.listRefunds(paid.providerOrderId, { limit: 10 });
  expect(listed.data.map((r: { id: string }) => r.id).sort()).toEqual([first.id, second.id].sort());
  expect(await pingpp.charges.retrieveRefund(paid.providerOrderId, first.id)).toMatchObject({ id: first.id, status: 'succeeded', amount: 1000 });
});

it('a request the SDK signs with the wrong key is refused', async () => {
  const order = await make('paid', 'alipay_qr');
  pingpp.setPrivateKey(readFileSync(`${FIXTURE_KEYS}/pingpp_platform_private_pkcs8.pem`, 'utf8'));
  try {
    await expect(pingpp.charges.retrieve(order.providerOrderId)).rejects.toMatchObject({ type: 'PingppAuthenticationError' });
  } finally {
    pingpp.setPrivateKey(readFileSync(`${FIXTURE_KEYS}/pingpp_merchant_private_pkcs8.pem`, 'utf8'));
  }
});
