/**
 * The Ping++ simulator's own protocol over raw HTTP (docs/providers/pingpp.md §1–§6): API-key auth, RSA request
 * signatures over the raw request-target, error shapes and statuses, refund rules and list
 * pagination, signed 2xx answers, the /v1 root alias and the fault answers.
 */
import { createSign, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { pingppSandboxSettings as settings, resetPingppSandboxSettings } from '../../sandbox/providers/pingpp/index.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const MERCHANT_PRIVATE = readFileSync(`${FIXTURE_KEYS}/pingpp_merchant_private_pkcs8.pem`, 'utf8');
const PLATFORM_PRIVATE = readFileSync(`${FIXTURE_KEYS}/pingpp_platform_private_pkcs8.pem`, 'utf8');
const PLATFORM_PUBLIC = readFileSync(`${FIXTURE_KEYS}/pingpp_platform_public_spki.pem`, 'utf8');
const KEY = SANDBOX_ACCOUNTS.pingpp.apiKey;

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  resetPingppSandboxSettings();
  await sb.admin('DELETE', '/faults');
});

interface Call {
  method?: 'GET' | 'POST';
  body?: string;
  auth?: string | null;
  /** Sign with this key (default: the merchant key); null sends no signature. */
  signWith?: string | null;
  /** Sign this URI instead of the one requested. */
  signedUri?: string;
  timestamp?: number | null;
}

/** One raw request; `target` is the request-target (path + query) exactly as sent. */
async function call(target: string, c: Call = {}) {
  const method = c.method ?? (c.body === undefined ? 'GET' : 'POST');
  const body = c.body ?? '';
  const ts = c.timestamp === undefined ? Math.floor(Date.now() / 1000) : c.timestamp;
  const headers: Record<string, string> = {};
  if (c.auth !== null) headers.authorization = c.auth ?? `Bearer ${KEY}`;
  if (ts !== null) headers['pingplusplus-request-timestamp'] = String(ts);
  if (c.signWith !== null) {
    headers['pingplusplus-signature'] = createSign('RSA-SHA256')
      .update(`${body}${c.signedUri ?? target}${ts ?? ''}`)
      .sign(c.signWith ?? MERCHANT_PRIVATE, 'base64');
  }
  if (method === 'POST') headers['content-type'] = 'application/json; charset=UTF-8';
  const res = await raw(method, target, headers, method === 'POST' ? body : undefined);
  const text = res.text;
  const signature = res.signature;
  return {
    status: res.status,
    text,
    json: text ? JSON.parse(text) : undefined,
    signature,
    signatureValid:
      signature !== null && createVerify('RSA-SHA256').update(text).verify(PLATFORM_PUBLIC, signature, 'base64'),
  };
}

/** node:http with an explicit path: fetch and http.get would drop a trailing "?" from the request-target. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; signature: string | null }> {
  const { hostname, port } = new URL(sb.sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const sig = res.headers['x-pingplusplus-signature'];
        resolve({ status: res.statusCode ?? 0, text, signature: typeof sig === 'string' ? sig : null });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const make = async (state: string, extra: Record<string, unknown> = {}) =>
  sb.admin('POST', '/orders', { provider: 'pingpp', state, amount: 5000, payType: 'wx_pub_scan', ...extra });
const ch = (o: { providerOrderId: string }) => `/pingpp/v1/charges/${o.providerOrderId}`;
const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const invalidRequest = (message?: unknown) => ({
  error: { type: 'invalid_request_error', message: message ?? expect.any(String) },
});

describe('authentication (§1)', () => {
  it('accepts the API key as Bearer and as Basic user name with an empty password', async () => {
    const o = await make('unpaid');
    for (const auth of [`Bearer ${KEY}`, basic(KEY), `bearer ${KEY}`])
      expect((await call(ch(o), { auth })).status).toBe(200);
  });

  it.each([
    ['no Authorization', null, 'No API key'],
    ['a wrong key', `Bearer sk_test_wrong`, 'Invalid API key'],
    ['a wrong Basic user', basic('sk_test_wrong'), 'Invalid API key'],
    ['Basic without the colon', `Basic ${Buffer.from(KEY).toString('base64')}`, 'No API key'],
    ['another scheme', `Token ${KEY}`, 'No API key'],
  ])('%s → 401 invalid_request_error, unsigned', async (_name, auth, message) => {
    const o = await make('unpaid');
    const res = await call(ch(o), { auth });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(invalidRequest(expect.stringContaining(message)));
    expect(res.signature).toBeNull();
  });
});

describe('request signatures (§2)', () => {
  it('a signed reverse over body + raw request-target + timestamp is accepted; the answer is signed over its raw bytes', async () => {
    const o = await make('unpaid');
    const res = await call(`${ch(o)}/reverse`, { body: '{}' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: o.providerOrderId, object: 'charge', reversed: true, paid: false });
    expect(res.signatureValid).toBe(true);
  });

  it('the app requires signed writes: an unsigned POST is refused; unsigned GETs are fine', async () => {
    const o = await make('unpaid');
    const res = await call(`${ch(o)}/reverse`, { body: '{}', signWith: null });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(invalidRequest(expect.stringContaining('signature is required')));
    expect((await call(ch(o), { signWith: null })).status).toBe(200);
    expect(await sb.admin('GET', `/orders/pingpp/${o.orderId}`)).toMatchObject({ state: 'unpaid' });
    settings.requireSignedWrites = false;
    expect((await call(`${ch(o)}/reverse`, { body: '{}', signWith: null })).status).toBe(200);
  });

  it.each<[string, Call, string]>([
    ['the wrong key', { signWith: PLATFORM_PRIVATE }, 'verification failed'],
    ['the URI without the /pingpp prefix', { signedUri: '/v1/charges/x/reverse' }, 'verification failed'],
    ['no timestamp header', { timestamp: null }, 'Timestamp is missing'],
    ['a timestamp 10 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 600 }, 'too far'],
  ])('signed with %s → 401, nothing applied', async (_name, c, message) => {
    const o = await make('unpaid');
    const res = await call(`${ch(o)}/reverse`, { body: '{}', ...c });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(invalidRequest(expect.stringContaining(message)));
    expect(await sb.admin('GET', `/orders/pingpp/${o.orderId}`)).toMatchObject({ state: 'unpaid' });
  });

  it('the accepted clock skew is a setting', async () => {
    settings.timestampSkewSec = 3600;
    const o = await make('unpaid');
    expect(
      (await call(`${ch(o)}/reverse`, { body: '{}', timestamp: Math.floor(Date.now() / 1000) - 600 })).status,
    ).toBe(200);
  });

  it('a changed body is refused (the body is part of what is signed)', async () => {
    const o = await make('paid');
    const target = `${ch(o)}/refunds`;
    const ts = Math.floor(Date.now() / 1000);
    const signature = createSign('RSA-SHA256')
      .update(`{"amount":1,"description":"d"}${target}${ts}`)
      .sign(MERCHANT_PRIVATE, 'base64');
    const res = await fetch(`${sb.sandbox.url}${target}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        'pingplusplus-request-timestamp': String(ts),
        'pingplusplus-signature': signature,
      },
      body: '{"amount":5000,"description":"d"}',
    });
    expect(res.status).toBe(401);
    expect((await sb.admin('GET', `/orders/pingpp/${o.orderId}`)).refunds).toHaveLength(0);
  });

  it('GET signatures cover the request-target as received: the Node SDK\'s trailing "?" counts', async () => {
    const o = await make('unpaid');
    expect((await call(`${ch(o)}?`)).status).toBe(200);
    expect((await call(`${ch(o)}?`, { signedUri: ch(o) })).status).toBe(401);
    expect((await call(`${ch(o)}/refunds?limit=5`)).status).toBe(200);
    expect((await call(`${ch(o)}/refunds?limit=5`, { signedUri: `${ch(o)}/refunds` })).status).toBe(401);
  });

  it('the same routes are served at /v1 for the official SDK, signed over that URI', async () => {
    const o = await make('paid', { payType: 'alipay_qr' });
    const res = await call(`/v1/charges/${o.providerOrderId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: o.providerOrderId, paid: true });
    expect((await call(`/v1/charges/${o.providerOrderId}`, { signedUri: ch(o) })).status).toBe(401);
  });
});

describe('charges (§4.1, §5.1)', () => {
  it('a charge has the documented shape', async () => {
    const o = await make('paid', { payType: 'alipay_qr' });
    const res = await call(ch(o));
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^ch_[A-Za-z0-9]{24}$/),
      object: 'charge',
      livemode: false,
      paid: true,
      refunded: false,
      reversed: false,
      app: SANDBOX_ACCOUNTS.pingpp.appId,
      channel: 'alipay_qr',
      order_no: o.orderId,
      amount: 5000,
      currency: 'cny',
      time_paid: expect.any(Number),
      time_expire: expect.any(Number),
      transaction_no: expect.any(String),
      refunds: { object: 'list', url: `/v1/charges/${o.providerOrderId}/refunds`, has_more: false, data: [] },
      amount_refunded: 0,
      failure_code: null,
    });
    expect(res.json.time_expire - res.json.created).toBe(86_400);
    expect(res.signatureValid).toBe(true);
  });

  it('an unknown charge → 404 invalid_request_error naming the id, unsigned', async () => {
    const res = await call('/pingpp/v1/charges/ch_000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { type: 'invalid_request_error', message: 'No such charge: ch_000000000000000000000000', param: 'id' },
    });
    expect(res.signature).toBeNull();
  });

  it('a paid scan charge reversed shows paid, reversed, not refunded (seed 004)', async () => {
    const o = await make('paid', { payType: 'isv_scan' });
    const res = await call(`${ch(o)}/reverse`, { body: '{}' });
    expect(res.json).toMatchObject({
      paid: true,
      reversed: true,
      refunded: false,
      amount_refunded: 0,
      refunds: { data: [] },
    });
  });

  it('a reversal refused by the rules → 400 invalid_request_error without param', async () => {
    const o = await make('paid', { payType: 'alipay_qr' });
    const res = await call(`${ch(o)}/reverse`, { body: '{}' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(invalidRequest(expect.stringContaining('use a refund')));
    expect(res.json.error.param).toBeUndefined();
  });
});

describe('refunds (§4.3, §4.4, §7)', () => {
  const refund = (o: { providerOrderId: string }, body: unknown) =>
    call(`${ch(o)}/refunds`, { body: typeof body === 'string' ? body : JSON.stringify(body) });

  it.each<[string, unknown, string | undefined]>([
    ['no description', { amount: 100 }, 'description'],
    ['an empty description', { amount: 100, description: ' ' }, 'description'],
    ['a description over 255 characters', { description: 'x'.repeat(256) }, 'description'],
    ['amount 0', { amount: 0, description: 'd' }, 'amount'],
    ['amount as a string', { amount: '100', description: 'd' }, 'amount'],
    ['amount above what is left', { amount: 5001, description: 'd' }, 'amount'],
    ['metadata not an object', { description: 'd', metadata: 'k' }, 'metadata'],
    ['an unknown funding_source', { description: 'd', funding_source: 'x' }, 'funding_source'],
    ['a body that is not JSON', 'amount=100', undefined],
  ])('%s → 400 invalid_request_error', async (_name, body, param) => {
    const o = await make('paid');
    const res = await refund(o, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', ...(param ? { param } : {}) });
    expect((await sb.admin('GET', `/orders/pingpp/${o.orderId}`)).refunds).toHaveLength(0);
  });

  it('no amount refunds what is left; metadata and funding_source come back; the refund is signed', async () => {
    const o = await make('paid');
    const res = await refund(o, {
      description: '退款',
      metadata: { refund_key: 'K1' },
      funding_source: 'unsettled_funds',
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^re_[A-Za-z0-9]{24}$/),
      object: 'refund',
      amount: 5000,
      status: 'succeeded',
      succeed: true,
      description: '退款',
      metadata: { refund_key: 'K1' },
      funding_source: 'unsettled_funds',
      charge: o.providerOrderId,
      charge_order_no: o.orderId,
    });
    expect(res.signatureValid).toBe(true);
    expect((await call(ch(o))).json).toMatchObject({ refunded: true, amount_refunded: 5000 });
    expect((await refund(o, { description: 'again' })).json).toEqual(
      invalidRequest(expect.stringContaining('fully refunded')),
    );
  });

  it('not idempotent: the same POST twice makes two refunds', async () => {
    const o = await make('paid');
    const body = { amount: 1000, description: 'd', metadata: { refund_key: 'same' } };
    const first = await refund(o, body);
    const second = await refund(o, body);
    expect(first.json.id).not.toBe(second.json.id);
    const { orders } = await sb.admin('GET', '/ledger');
    expect(orders.find((x: { orderId: string }) => x.orderId === o.orderId)).toMatchObject({
      refundCount: 2,
      returned: 2000,
    });
  });

  it('a processing refund reads pending, counted in refunded but not in amount_refunded', async () => {
    const o = await make('paid', { refundProcessingQueries: 1 });
    expect((await refund(o, { amount: 2000, description: 'd' })).json).toMatchObject({
      status: 'pending',
      succeed: false,
      time_succeed: null,
    });
    expect((await call(ch(o))).json).toMatchObject({
      refunded: true,
      amount_refunded: 0,
      refunds: { data: [{ status: 'pending' }] },
    });
  });

  it('lists newest first with limit, starting_after and ending_before; retrieve by id', async () => {
    const o = await make('paid');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await refund(o, { amount: 100, description: `r${i}` })).json.id);
    const newest = [...ids].reverse();
    const page1 = (await call(`${ch(o)}/refunds?limit=2`)).json;
    expect(page1).toMatchObject({ object: 'list', has_more: true, url: `/v1/charges/${o.providerOrderId}/refunds` });
    expect(page1.data.map((r: { id: string }) => r.id)).toEqual(newest.slice(0, 2));
    const page2 = (await call(`${ch(o)}/refunds?limit=2&starting_after=${newest[1]}`)).json;
    expect(page2.data.map((r: { id: string }) => r.id)).toEqual(newest.slice(2, 4));
    const last = (await call(`${ch(o)}/refunds?limit=2&starting_after=${newest[3]}`)).json;
    expect(last).toMatchObject({ has_more: false, data: [{ id: newest[4] }] });
    const before = (await call(`${ch(o)}/refunds?limit=2&ending_before=${newest[3]}`)).json;
    expect(before.data.map((r: { id: string }) => r.id)).toEqual(newest.slice(1, 3));
    expect((await call(`${ch(o)}/refunds`)).json.data).toHaveLength(5);
    expect((await call(`${ch(o)}/refunds/${ids[0]}`)).json).toMatchObject({
      id: ids[0],
      description: 'r0',
      amount: 100,
    });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['starting_after=re_unknown', 'starting_after'],
    ['ending_before=re_unknown', 'ending_before'],
  ])('a list with %s → 400 naming %s', async (query, param) => {
    const o = await make('paid');
    const res = await call(`${ch(o)}/refunds?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('an unknown refund → 404', async () => {
    const o = await make('paid');
    const res = await call(`${ch(o)}/refunds/re_000000000000000000000000`);
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ type: 'invalid_request_error', param: 'id' });
  });

  it('the charge embeds only the first 10 refunds, newest first, with has_more', async () => {
    const o = await make('paid');
    for (let i = 0; i < 11; i += 1) await refund(o, { amount: 10, description: `r${i}` });
    const charge = (await call(ch(o))).json;
    expect(charge.refunds.has_more).toBe(true);
    expect(charge.refunds.data).toHaveLength(10);
    expect(charge.refunds.data[0].description).toBe('r10');
    expect(charge.amount_refunded).toBe(110);
  });
});

describe('fault answers', () => {
  const fault = (call: string, kind: string, extra: Record<string, unknown> = {}) =>
    sb.admin('POST', '/faults', { provider: 'pingpp', call, kind, ...extra });

  it('http_500 → 500 api_error; rate_limit → 429 (or 403 by setting); in_progress on a query → 402 channel_error with the code', async () => {
    const o = await make('paid');
    await fault('query', 'http_500');
    expect(await call(ch(o))).toMatchObject({ status: 500, json: { error: { type: 'api_error' } } });
    await fault('query', 'rate_limit');
    expect(await call(ch(o))).toMatchObject({ status: 429, json: { error: { type: 'invalid_request_error' } } });
    settings.rateLimitStatus = 403;
    await fault('query', 'rate_limit');
    expect((await call(ch(o))).status).toBe(403);
    await fault('query', 'in_progress', { codes: ['SYSTEMERROR'] });
    expect(await call(ch(o))).toMatchObject({
      status: 402,
      json: { error: { type: 'channel_error', code: 'SYSTEMERROR' } },
    });
  });

  it('bad_signature: the call is applied and answered with a well-formed signature that does not verify', async () => {
    const o = await make('unpaid');
    await fault('reverse', 'bad_signature');
    const res = await call(`${ch(o)}/reverse`, { body: '{}' });
    expect(res).toMatchObject({ status: 200, json: { reversed: true } });
    expect(res.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(res.signatureValid).toBe(false);
  });

  it('in_progress on a reverse: the charge comes back unchanged (reversed=false), nothing applied', async () => {
    const o = await make('unpaid');
    await fault('reverse', 'in_progress');
    const res = await call(`${ch(o)}/reverse`, { body: '{}' });
    expect(res).toMatchObject({ status: 200, json: { reversed: false }, signatureValid: true });
    expect(await sb.admin('GET', `/orders/pingpp/${o.orderId}`)).toMatchObject({ state: 'unpaid' });
  });
});
