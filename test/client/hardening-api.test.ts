/**
 * The HTTP API against what an independent probe tried, over real HTTP on the real stack: a second
 * start with different facts, credentials in query strings, content types that are not JSON,
 * prototype keys, hostile path parameters, concurrent resolutions, orders from the future or for a
 * merchant that is not configured, and a body with thousands of unknown keys.
 */
import { request } from 'node:http';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { CancellationConflictError, startCancellation } from '../../client/library.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { loadConfig, type Config } from '../../worker/config.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually, http, workflowExists } from './support.js';

const TOKEN = 'hardening-token-0123456789';

let stack: Stack;
let api: ApiServer;
let config: Config;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  config = { ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: TOKEN }), taskQueue: stack.taskQueue };
  api = await startApiServer({
    config,
    client: stack.env.client,
    host: '127.0.0.1',
    port: 0,
    logStream: { write: (line) => void logs.push(line) },
  });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const url = (path: string) => `${api.url}${path}`;
const orderOf = (o: SandboxOrderView) => ({
  provider: o.provider,
  merchantId: o.merchantId,
  orderId: o.orderId,
  providerOrderId: o.providerOrderId,
  amount: o.amount,
  currency: o.currency,
  payType: o.payType,
  createdAt: o.createdAt,
});
const body = (o: SandboxOrderView, order: Record<string, unknown> = {}) => ({
  order: { ...orderOf(o), ...order },
  reason: 'hardening',
  cadence: FAST,
});
const post = (json: unknown) => http('POST', url('/v1/cancellations'), { token: TOKEN, json });
const raw = (payload: string, contentType: string) =>
  http('POST', url('/v1/cancellations'), { token: TOKEN, body: payload, headers: { 'content-type': contentType } });

/** GET a path exactly as written: fetch would resolve "%2E" and ".." segments before sending. */
function getVerbatim(path: string): Promise<{ status: number; text: string; body: any }> {
  return new Promise((done, fail) => {
    const req = request(`${api.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, text, body: JSON.parse(text) }));
    });
    req.path = path;
    req.on('error', fail);
    req.end();
  });
}

describe('a second start with different facts (item 3)', () => {
  let order: SandboxOrderView;
  beforeAll(async () => {
    order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1500, payType: '800201' });
    expect((await post(body(order))).status).toBe(202);
  });

  it('answers 409 naming each fact that differs, with the running request’s facts', async () => {
    const res = await post(body(order, { amount: 1600, payType: '800208' }));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: 'order_conflict',
      message: expect.stringContaining('order.amount'),
      fields: [
        { field: 'order.amount', message: 'the existing cancellation for this order has 1500; this request says 1600' },
        {
          field: 'order.payType',
          message: 'the existing cancellation for this order has "800201"; this request says "800208"',
        },
      ],
      workflowId: cancellationWorkflowId('qfpay', order.merchantId, order.orderId),
      running: expect.objectContaining({ amount: 1500, payType: '800201' }),
    });
  });

  it('attaches (202, started: false) when the facts match, or when the caller leaves a fact out', async () => {
    expect((await post(body(order))).body).toMatchObject({ started: false });
    const fewer = await post({ order: { provider: 'qfpay', merchantId: order.merchantId, orderId: order.orderId } });
    expect(fewer.status).toBe(202);
    expect(fewer.body).toMatchObject({ started: false });
    // The same instant written with another offset is the same fact.
    const sameInstant = new Date(order.createdAt).toISOString().replace('Z', '+00:00');
    expect((await post(body(order, { createdAt: sameInstant }))).status).toBe(202);
  });

  it('the library throws a typed error carrying both sets of facts', async () => {
    const err = await startCancellation(
      stack.env.client,
      { taskQueue: stack.taskQueue },
      body(order, { amount: 99 }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancellationConflictError);
    expect(err).toMatchObject({ running: { amount: 1500 }, requested: { amount: 99 } });
  });
});

describe('the log never carries a query string’s credentials (item 5)', () => {
  it('logs the route, not the raw URL', async () => {
    const secret = 'QUERYSECRET-5f1c';
    await http('GET', url(`/v1/cancellations/qfpay/m1/o1?token=${secret}`), { token: TOKEN });
    const missing = await http('GET', url(`/no/such/route?access_token=${secret}`));
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain(secret);
    await http('GET', url(`/healthz?api_key=${secret}`));
    const text = logs.join('\n');
    expect(text).toContain('/v1/cancellations/');
    expect(text).not.toContain(secret);
  });
});

describe('content types (item 6)', () => {
  let order: SandboxOrderView;
  beforeAll(async () => {
    order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 300, payType: '800201' });
  });

  it('a JSON body sent as text/plain is refused with 415 naming the content type', async () => {
    const res = await raw(JSON.stringify(body(order)), 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('"text/plain"') });
  });

  it('JSON declared as UTF-16 is refused; UTF-8 (declared or not) is read', async () => {
    const utf16 = await raw(JSON.stringify(body(order)), 'application/json; charset=utf-16');
    expect(utf16.status).toBe(415);
    expect(utf16.body.message).toContain('utf-16');
    const utf8 = await raw(JSON.stringify({ order: { provider: 'qfpay' } }), 'application/json; charset=UTF-8');
    expect(utf8.status).toBe(400);
    expect(utf8.body.error).toBe('invalid_request');
  });

  it('started nothing', async () => {
    expect(
      await workflowExists(stack.env.client, cancellationWorkflowId('qfpay', order.merchantId, order.orderId)),
    ).toBe(false);
  });
});

describe('prototype keys (item 7)', () => {
  it.each([
    ['{"__proto__": {"admin": true}, "order": {"provider": "qfpay"}}', '__proto__'],
    ['{"order": {"provider": "qfpay", "constructor": {"prototype": {"x": 1}}}}', 'order.constructor'],
    ['{"order": {"provider": "qfpay"}, "cadence": {"prototype": 1}}', 'cadence.prototype'],
  ])('%s → 400 naming the key', async (payload, field) => {
    const res = await raw(payload, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining(field),
      fields: [{ field, message: expect.stringContaining('not allowed') }],
    });
  });
});

describe('path parameters (item 8)', () => {
  it('a bad percent-encoding is a 400 naming the parameter, without echoing the URL', async () => {
    const res = await getVerbatim('/v1/cancellations/qfpay/%E0%A4%A/o1?x=SECRETISH');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: expect.any(String),
      fields: [{ field: 'merchant', message: expect.stringContaining('percent-encoding') }],
    });
    expect(res.text).not.toContain('SECRETISH');
    expect(res.text).not.toContain('%E0%A4%A');
  });

  it('an over-long id is a 400 naming it, without echoing it', async () => {
    const long = 'A'.repeat(3000);
    const res = await getVerbatim(`/v1/cancellations/qfpay/m1/${long}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: expect.any(String),
      fields: [{ field: 'order', message: expect.stringContaining('longer than') }],
    });
    expect(res.text).not.toContain(long.slice(0, 100));
    const resolve = await http('POST', url(`/v1/cancellations/qfpay/${long}/o1/resolve`), {
      token: TOKEN,
      json: { action: 'retry' },
    });
    expect(resolve.status).toBe(400);
    expect(resolve.body.fields).toEqual([{ field: 'merchant', message: expect.stringContaining('longer than') }]);
    // Longer than 64 but short enough for the router: the schema names it.
    const medium = await getVerbatim(`/v1/cancellations/qfpay/m1/${'B'.repeat(80)}`);
    expect(medium.body.fields).toEqual([{ field: 'order', message: expect.stringContaining('1–64') }]);
  });

  it('"." and ".." are not ids, in the path or in a body', async () => {
    for (const dots of ['.', '..', '%2E', '%2E%2E']) {
      const res = await getVerbatim(`/v1/cancellations/qfpay/${dots}/o1`);
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field: 'merchant', message: 'merchant must not be "." or ".."' }]);
    }
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 100, payType: '800201' });
    const res = await post(body(order, { orderId: '..' }));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'order.orderId', message: 'orderId must not be "." or ".."' }]);
  });
});

describe('concurrent resolutions of one review (item 9)', () => {
  it('one mark_resolved wins (200); the others get 409 "already resolved"', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 880, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 5 });
    const statusUrl: string = (await post(body(order))).body.statusUrl;
    await eventually(async () =>
      (await http('GET', url(statusUrl), { token: TOKEN })).body.stage === 'needs_review' ? true : undefined,
    );
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        http('POST', url(`${statusUrl}/resolve`), {
          token: TOKEN,
          json: { action: 'mark_resolved', note: `voided by hand (${n})`, operator: `op${n}` },
        }),
      ),
    );
    const winners = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status !== 200);
    expect(winners).toHaveLength(1);
    for (const loser of losers)
      expect(loser).toMatchObject({
        status: 409,
        body: { error: 'not_in_review', message: expect.stringContaining('already resolved') },
      });
    // The outcome is the winner's: no later resolution overwrote it.
    const done = (await http('GET', url(statusUrl), { token: TOKEN })).body;
    expect(done.outcome).toEqual(winners[0]!.body.outcome);
  });
});

describe('facts the API can check (item 10)', () => {
  let order: SandboxOrderView;
  beforeAll(async () => {
    order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 400, payType: '800201' });
  });

  it('a createdAt more than five minutes ahead is refused; a little clock skew is not', async () => {
    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    const res = await post(body(order, { createdAt: future }));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'order.createdAt', message: expect.stringContaining('in the future') }]);
    const skewed = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 400, payType: '800201' });
    expect((await post(body(skewed, { createdAt: new Date(Date.now() + 60_000).toISOString() }))).status).toBe(202);
  });

  it('a merchant the provider is not configured for is refused with 400, naming the variable', async () => {
    const res = await post(body(order, { merchantId: 'SOMEONE-ELSE' }));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'order.merchantId', message: expect.stringContaining('QFPAY_MCHID') }]);
    expect(await workflowExists(stack.env.client, cancellationWorkflowId('qfpay', 'SOMEONE-ELSE', order.orderId))).toBe(
      false,
    );
  });

  it('a provider acting for many merchants (WeChat Pay partner mode) takes any sub-merchant', async () => {
    const wx = await stack.order({ provider: 'wechatpay', state: 'closed', amount: 100, payType: 'NATIVE' });
    expect((await post(body(wx))).status).toBe(202);
  });
});

describe('a body with thousands of unknown keys (item 11)', () => {
  it('is answered with a short list and a count of the rest', async () => {
    const keys = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, 1]));
    const res = await post({ order: { provider: 'qfpay' }, ...keys });
    expect(res.status).toBe(400);
    expect(res.body.fields.length).toBeLessThanOrEqual(21);
    expect(res.body.fields.at(-1)).toEqual({
      field: '(more)',
      message: expect.stringMatching(/^and \d+ more problems? not listed$/),
    });
    expect(res.text.length).toBeLessThan(4000);
  });
});
