/**
 * The HTTP API over real HTTP, on the real stack: create, read, resolve; every bad input answered
 * with a clear error and nothing started; bearer tokens, body limit, OpenAPI, start-up policy.
 */
import { ApiAuthConfigError } from '../../client/api/auth.js';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { OPENAPI } from '../../client/api/openapi.js';
import { loadConfig, type Config } from '../../worker/config.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { FAST, startStack, type SandboxOrderView, type Stack } from '../helpers/stack.js';
import { eventually, http, workflowExists } from './support.js';

const TOKEN = 'test-token-0123456789';
const OTHER_TOKEN = 'second-token-abcdef';
const BODY_LIMIT = 2048;

let stack: Stack;
let api: ApiServer;
let config: Config;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  config = {
    ...loadConfig({
      ...stack.sandbox.env,
      RESCIND_API_TOKENS: `${TOKEN}, ${OTHER_TOKEN}`,
      RESCIND_API_BODY_LIMIT: String(BODY_LIMIT),
    }),
    taskQueue: stack.taskQueue,
  };
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
const body = (order: SandboxOrderView, extra: Record<string, unknown> = {}) => ({
  order: {
    provider: order.provider,
    merchantId: order.merchantId,
    orderId: order.orderId,
    providerOrderId: order.providerOrderId,
    amount: order.amount,
    currency: order.currency,
    payType: order.payType,
    createdAt: order.createdAt,
  },
  reason: 'payment timeout',
  requestedBy: 'api test',
  cadence: FAST,
  ...extra,
});
const exists = (order: { provider: SandboxOrderView['provider']; merchantId: string; orderId: string }) =>
  workflowExists(stack.env.client, cancellationWorkflowId(order.provider, order.merchantId, order.orderId));

describe('POST /v1/cancellations and GET /v1/cancellations/{provider}/{merchant}/{order}', () => {
  it('starts a cancellation (202), is idempotent per order, and reports stage and outcome', async () => {
    const order = await stack.order({ provider: 'qfpay', state: 'paid', amount: 2100, payType: '800208' });
    const created = await http('POST', url('/v1/cancellations'), { token: TOKEN, json: body(order) });
    const statusUrl = `/v1/cancellations/qfpay/${order.merchantId}/${order.orderId}`;
    expect(created.status).toBe(202);
    expect(created.body).toEqual({
      workflowId: cancellationWorkflowId('qfpay', order.merchantId, order.orderId),
      runId: expect.any(String),
      started: true,
      statusUrl,
    });
    expect(created.headers.get('location')).toBe(statusUrl);

    const again = await http('POST', url('/v1/cancellations'), { token: OTHER_TOKEN, json: body(order) });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...created.body, started: false });

    const done = await eventually(async () => {
      const res = await http('GET', url(statusUrl), { token: TOKEN });
      expect(res.status).toBe(200);
      return res.body.outcome ? res.body : undefined;
    });
    expect(done).toMatchObject({
      workflowId: created.body.workflowId,
      stage: 'done',
      outcome: { kind: 'refunded', amount: 2100 },
      live: true,
    });
    expect(done.calls.map((c: { call: string }) => c.call)).toEqual(
      expect.arrayContaining(['queryOrder', 'refundOrder']),
    );
    expect(done.observations.length).toBeGreaterThan(0);
    // Every record says what it is, and the run list shows this one run.
    expect(new Set(done.calls.map((c: { kind: string }) => c.kind))).toEqual(new Set(['call']));
    expect(done.runs).toEqual([expect.objectContaining({ runId: created.body.runId })]);
    // Asking after it finished neither starts nor refunds again.
    expect((await http('POST', url('/v1/cancellations'), { token: TOKEN, json: body(order) })).body).toMatchObject({
      started: false,
      runId: created.body.runId,
    });
    expect(await stack.ledgerFor(order.orderId)).toMatchObject({ refundCount: 1 });
  });

  it('answers 404 for an order with no cancellation and 400 for a bad path', async () => {
    const missing = await http('GET', url('/v1/cancellations/payjs/1528140051/NO-SUCH-ORDER'), { token: TOKEN });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'not_found', message: expect.stringContaining('NO-SUCH-ORDER') });
    const bad = await http('GET', url('/v1/cancellations/stripe/m1/o1'), { token: TOKEN });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'provider', message: expect.stringContaining('"stripe" is unknown') }]);
  });
});

describe('bad input is answered clearly and starts nothing', () => {
  let order: SandboxOrderView;
  beforeAll(async () => {
    order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 700, payType: '800201' });
  });
  it('missing fields', async () => {
    const res = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      json: { order: { provider: 'qfpay', amount: 700 } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      message: expect.stringContaining('order.merchantId'),
      fields: [
        { field: 'order.merchantId', message: 'merchantId is required' },
        { field: 'order.orderId', message: 'orderId is required' },
      ],
    });
  });

  it('unknown provider', async () => {
    const res = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      json: body(order, { order: { ...body(order).order, provider: 'paypal' } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([
      { field: 'order.provider', message: 'provider "paypal" is unknown: use one of payjs, qfpay, wechatpay, pingpp' },
    ]);
    expect(await exists({ ...order, provider: 'paypal' as never })).toBe(false);
  });

  it('negative amount', async () => {
    const res = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      json: body(order, { order: { ...body(order).order, amount: -700 } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'order.amount', message: 'amount must be greater than 0' }]);
  });

  it('a body that is not JSON, or not an object', async () => {
    const broken = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      body: '{"order": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: 'invalid_request', fields: [{ field: '(body)' }] });
    const array = await http('POST', url('/v1/cancellations'), { token: TOKEN, json: [body(order)] });
    expect(array.status).toBe(400);
    expect(array.body.fields).toEqual([{ field: '(body)', message: expect.stringContaining('JSON object') }]);
    const form = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      body: 'order=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });

  it('an oversized body is refused with 413', async () => {
    const res = await http('POST', url('/v1/cancellations'), {
      token: TOKEN,
      json: body(order, { reason: 'x'.repeat(BODY_LIMIT) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'body_too_large', message: `the body is larger than ${BODY_LIMIT} bytes` });
  });

  it('a missing or wrong token is refused with 401, before the body is looked at', async () => {
    for (const token of [undefined, 'wrong-token', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await http('POST', url('/v1/cancellations'), { token, json: body(order) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body.error).toBe('unauthorized');
    }
    const basic = await http('GET', url('/v1/cancellations/qfpay/m/o'), {
      headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    const oversizedWithoutToken = await http('POST', url('/v1/cancellations'), {
      json: body(order, { reason: 'x'.repeat(BODY_LIMIT) }),
    });
    expect(oversizedWithoutToken.status).toBe(401);
  });

  it('none of the requests above started a cancellation for the order', async () => {
    expect(await exists(order)).toBe(false);
  });
});

describe('POST /v1/cancellations/{provider}/{merchant}/{order}/resolve', () => {
  it('resolves a cancellation in review; refuses bad input (400), unknown orders (404) and runs not in review (409)', async () => {
    const order = await stack.order({ provider: 'wechatpay', state: 'unpaid', amount: 990, payType: 'NATIVE' });
    await stack.fault({ provider: 'wechatpay', call: 'query', kind: 'bad_signature', count: 5 });
    const created = await http('POST', url('/v1/cancellations'), { token: TOKEN, json: body(order) });
    const statusUrl: string = created.body.statusUrl;
    const inReview = await eventually(async () => {
      const res = await http('GET', url(statusUrl), { token: TOKEN });
      return res.body.stage === 'needs_review' ? res.body : undefined;
    });
    expect(inReview.review.reason).toEqual(expect.any(String));

    const noNote = await http('POST', url(`${statusUrl}/resolve`), { token: TOKEN, json: { action: 'mark_resolved' } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.fields).toEqual([
      { field: 'note', message: 'note is required with mark_resolved: say what was done' },
    ]);
    const badAction = await http('POST', url(`${statusUrl}/resolve`), { token: TOKEN, json: { action: 'undo' } });
    expect(badAction.status).toBe(400);
    expect(badAction.body.fields[0].field).toBe('action');
    const unknown = await http('POST', url('/v1/cancellations/wechatpay/1900000109/NO-SUCH/resolve'), {
      token: TOKEN,
      json: { action: 'retry' },
    });
    expect(unknown.status).toBe(404);
    const noToken = await http('POST', url(`${statusUrl}/resolve`), { json: { action: 'retry' } });
    expect(noToken.status).toBe(401);

    const resolved = await http('POST', url(`${statusUrl}/resolve`), {
      token: TOKEN,
      json: { action: 'mark_resolved', note: 'voided in the merchant portal', operator: 'ops-api' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      workflowId: created.body.workflowId,
      stage: 'done',
      outcome: { kind: 'resolved_by_operator', note: 'voided in the merchant portal', operator: 'ops-api' },
    });

    const again = await http('POST', url(`${statusUrl}/resolve`), { token: TOKEN, json: { action: 'retry' } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'not_in_review', message: expect.stringContaining('finished') });
  });
});

describe('service routes', () => {
  it('serves /healthz and /openapi.json without a token', async () => {
    expect((await http('GET', url('/healthz'))).body).toEqual({ ok: true });
    const doc = await http('GET', url('/openapi.json'));
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
  });

  it('describes exactly the routes it serves', () => {
    const served = api.routes.map((r) => r.replace(/:(\w+)/g, '{$1}')).sort();
    const described = Object.entries(OPENAPI.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(described);
    // Every $ref resolves.
    const refs = JSON.stringify(OPENAPI).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) expect(OPENAPI.components.schemas).toHaveProperty(ref.split('/').pop()!);
  });

  it('never writes a token to the log', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(OTHER_TOKEN);
  });
});

describe('start-up policy without tokens', () => {
  it('refuses to listen beyond loopback without tokens', async () => {
    const open = { ...config, api: { ...config.api, tokens: [] } };
    await expect(
      startApiServer({ config: open, client: stack.env.client, host: '0.0.0.0', port: 0, logLevel: 'silent' }),
    ).rejects.toBeInstanceOf(ApiAuthConfigError);
  });

  it('on loopback without tokens, serves /v1 without one', async () => {
    const open = { ...config, api: { ...config.api, tokens: [] } };
    const local = await startApiServer({
      config: open,
      client: stack.env.client,
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
    });
    try {
      expect(local.authRequired).toBe(false);
      expect((await http('GET', `${local.url}/v1/cancellations/qfpay/m1/none`)).status).toBe(404);
    } finally {
      await local.close();
    }
  });
});
