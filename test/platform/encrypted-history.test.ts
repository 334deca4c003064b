/**
 * Encryption on the real stack (Temporal dev server, sandbox over HTTP, Rescind's workers, the
 * library and the CLI, all configured with RESCIND_PAYLOAD_KEYS): the history Temporal stores holds
 * no order id, amount, provider order id or review note in clear text; the codec server opens what
 * the UI sends it from that history; after rotation the old key still opens it; a missing or wrong
 * key and altered ciphertext are errors naming the key id.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { NativeConnection } from '@temporalio/worker';
import { RescindClient } from '../../client/library.js';
import { type CodecServer, startCodecServer } from '../../platform/codec-server.js';
import { parsePayloadKeys } from '../../platform/codec.js';
import { connectClient, loadTemporalSettings } from '../../platform/temporal.js';
import { freePort } from '../../scripts/dev-server.js';
import { TEMPORAL_BIN } from '../../scripts/install-temporal-cli.mjs';
import { loadConfig } from '../../worker/config.js';
import { createWorkers, type RescindWorkers } from '../../worker/worker.js';
import { rescind as runCli, startRescind } from '../client/support.js';
import { FAST } from '../helpers/stack.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startTestTemporal } from '../helpers/temporal.js';

const execFileAsync = promisify(execFile);
const DAY = 86_400_000;
const key = () => randomBytes(32).toString('base64');
const WRITE_KEYS = `k-2024:${key()}`;
const UI_ORIGIN = 'http://127.0.0.1:8233';

let env: TestWorkflowEnvironment;
let sandbox: TestSandbox;
let client: Client;
let workers: RescindWorkers;
let running: Promise<void>;
let rescind: RescindClient;
let variables: Record<string, string>;
const servers: CodecServer[] = [];

beforeAll(async () => {
  env = await startTestTemporal();
  sandbox = await startTestSandbox();
  variables = {
    ...sandbox.env,
    TEMPORAL_ADDRESS: env.address,
    RESCIND_TASK_QUEUE: `enc-${randomUUID()}`,
    RESCIND_PAYLOAD_KEYS: WRITE_KEYS,
  };
  const config = loadConfig(variables);
  client = await connectClient(config.temporal);
  workers = await createWorkers(config, { connection: env.nativeConnection as NativeConnection, client });
  running = workers.run();
  // The library's own way in: settings from the environment, connectClient with the codec.
  rescind = await RescindClient.connect(loadTemporalSettings(variables));
});
afterAll(async () => {
  for (const server of servers) await server.close();
  workers?.shutdown();
  await running;
  await rescind?.close();
  await client?.connection.close();
  await sandbox?.close();
  await env?.teardown();
});

/** A codec server with these keys, closed after the tests. */
async function codecServer(keys: string, token?: string): Promise<CodecServer> {
  const problems: string[] = [];
  const server = await startCodecServer({
    keys: parsePayloadKeys(keys, problems),
    corsOrigins: [UI_ORIGIN],
    token,
    log: () => undefined,
  });
  expect(problems).toEqual([]);
  servers.push(server);
  return server;
}

interface RawPayload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** Every event of the run as Temporal stores it (no data converter on this path). */
async function rawHistory(workflowId: string) {
  const events = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/**
 * The text an attacker with the database would see: every string and every byte field, except the
 * search attributes (plain by design: operators filter on them) and the workflow id (it is the
 * order's identity, rescind:<provider>:<merchant>:<order>).
 */
function storedText(value: unknown, workflowId: string, key?: string): string[] {
  if (key === 'searchAttributes') return [];
  if (value instanceof Uint8Array) return [Buffer.from(value).toString('latin1')];
  if (typeof value === 'string') return value === workflowId ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => storedText(v, workflowId));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => storedText(v, workflowId, k));
  return [];
}

/** Every payload in the events (a `metadata` + `data` pair), outside the search attributes. */
function payloadsIn(value: unknown, key?: string): RawPayload[] {
  if (key === 'searchAttributes' || !value || typeof value !== 'object' || value instanceof Uint8Array) return [];
  if (Array.isArray(value)) return value.flatMap((v) => payloadsIn(v));
  const found = 'metadata' in value && 'data' in value ? [value as RawPayload] : [];
  return [...found, ...Object.entries(value).flatMap(([k, v]) => payloadsIn(v, k))];
}

/** A payload as the Temporal UI sends it: proto3 JSON, every byte field base64. */
const asUiJson = (p: RawPayload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

const post = (url: string, payloads: RawPayload[], headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI_ORIGIN, ...headers },
    body: JSON.stringify({ payloads: payloads.map(asUiJson) }),
  });

/** Decode through a codec server; the readable text of every payload. */
async function decodeVia(server: CodecServer, payloads: RawPayload[]): Promise<string[]> {
  const res = await post(`${server.url}/decode`, payloads);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
  return body.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8'));
}

const requestFor = (o: {
  provider: string;
  merchantId: string;
  orderId: string;
  providerOrderId: string;
  amount: number;
  currency: string;
  payType: string;
  createdAt: string;
}) => ({
  order: {
    provider: o.provider,
    merchantId: o.merchantId,
    orderId: o.orderId,
    providerOrderId: o.providerOrderId,
    amount: o.amount,
    currency: o.currency,
    payType: o.payType,
    createdAt: o.createdAt,
  },
  reason: 'payment timeout',
  requestedBy: 'encryption test',
  cadence: FAST,
});

interface Finished {
  workflowId: string;
  secrets: string[];
  events: Awaited<ReturnType<typeof rawHistory>>;
}
const finished: Finished[] = [];

describe('with RESCIND_PAYLOAD_KEYS set', () => {
  it('a refunded cancellation leaves no order id, amount or provider order id in the stored history', async () => {
    const order = await sandbox.admin('POST', '/orders', {
      provider: 'qfpay',
      state: 'paid',
      amount: 7_654_321,
      payType: '800208',
    });
    // One failed refund attempt, so the history holds an activity failure too.
    await sandbox.admin('POST', '/faults', { provider: 'qfpay', call: 'refund', kind: 'http_500', count: 1 });
    const started = await rescind.start(requestFor(order));
    expect(await rescind.waitForOutcome(started)).toMatchObject({ kind: 'refunded' });
    const events = await rawHistory(started.workflowId);
    const stored = storedText(events, started.workflowId).join('\n');
    const secrets = [order.orderId, order.providerOrderId, String(order.amount)];
    for (const secret of secrets) expect({ secret, found: stored.includes(secret) }).toEqual({ secret, found: false });

    // Every payload is sealed, and the search attributes (left out above) are what stays plain.
    const payloads = payloadsIn(events);
    expect(payloads.length).toBeGreaterThan(5);
    for (const p of payloads) expect(Buffer.from(p.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(JSON.stringify(events)).toContain('RescindOrder');
    // The failed attempt's message and stack trace travel sealed in encodedAttributes.
    const failure = events.find((e) => e.activityTaskStartedEventAttributes?.lastFailure)
      ?.activityTaskStartedEventAttributes?.lastFailure;
    expect(failure).toMatchObject({
      message: 'Encoded failure',
      stackTrace: '',
      applicationFailureInfo: { type: 'transient' },
    });
    expect(Buffer.from(failure!.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    finished.push({ workflowId: started.workflowId, secrets, events });
  });

  it('a review resolved by an operator leaves no review note in the stored history', async () => {
    const order = await sandbox.admin('POST', '/orders', {
      provider: 'wechatpay',
      state: 'unpaid',
      amount: 808_808,
      payType: 'MICROPAY',
    });
    await sandbox.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'http_500', count: 5 });
    const started = await rescind.start(
      requestFor({ ...order, createdAt: new Date(Date.now() - 8 * DAY).toISOString() }),
    );
    for (;;) {
      const view = await rescind.get(started);
      if (view?.stage === 'needs_review') break;
      // A run that ended without review fails here, with what it did.
      if (view && view.status !== 'RUNNING') throw new Error(`expected a review, got ${JSON.stringify(view)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const note = `called the customer ${randomUUID()}; nothing was charged`;
    await rescind.resolveReview(started, { action: 'mark_resolved', note, operator: 'ops-enc' });
    expect(await rescind.waitForOutcome(started)).toMatchObject({ kind: 'resolved_by_operator', note });

    const events = await rawHistory(started.workflowId);
    const stored = storedText(events, started.workflowId).join('\n');
    const secrets = [note, order.orderId, order.providerOrderId, String(order.amount)];
    for (const secret of secrets) expect({ secret, found: stored.includes(secret) }).toEqual({ secret, found: false });
    finished.push({ workflowId: started.workflowId, secrets, events });
  });

  it('the codec server decodes what the UI sends from that history, with CORS for the UI origin', async () => {
    const server = await codecServer(WRITE_KEYS);
    for (const run of finished) {
      // The same search that found nothing in the stored text finds everything once decoded.
      const decoded = (await decodeVia(server, payloadsIn(run.events))).join('\n');
      for (const secret of run.secrets) expect(decoded).toContain(secret);
    }
    expect((await decodeVia(server, payloadsIn(finished[0]!.events))).join('\n')).toContain(
      '"message":"qfpay: refund: HTTP 500"',
    );
    const started = finished[0]!.events[0]!.workflowExecutionStartedEventAttributes!;
    const res = await post(`${server.url}/decode`, [started.input!.payloads![0]!]);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const [input] = ((await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(input!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(input!.data, 'base64').toString('utf8'))).toMatchObject({
      order: { provider: 'qfpay', amount: 7_654_321 },
      reason: 'payment timeout',
    });
    // The path prefix is free (the CLI's /{namespace} template), only the last segment counts.
    expect((await post(`${server.url}/default/decode`, [started.input!.payloads![0]!])).status).toBe(200);

    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Namespace');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await post(`${server.url}/decode`, [], { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('the Temporal CLI shows the history readable through the codec server, and encrypted without it', async () => {
    const server = await codecServer(WRITE_KEYS);
    const { workflowId, secrets } = finished[0]!;
    // Asynchronously: the codec server answering the CLI runs in this process.
    const show = (...extra: string[]) =>
      execFileAsync(
        TEMPORAL_BIN,
        ['workflow', 'show', '-w', workflowId, '--address', env.address, '--output', 'json', ...extra],
        { env: { PATH: process.env.PATH, HOME: tmpdir() } },
      );
    const texts = (out: string) =>
      payloadsIn(JSON.parse(out))
        .map((p) => Buffer.from(String(p.data), 'base64').toString('utf8'))
        .join('\n');
    const decoded = await show('--codec-endpoint', server.url);
    for (const secret of secrets) expect(texts(decoded.stdout)).toContain(secret);
    const sealed = await show();
    for (const secret of secrets) expect(texts(sealed.stdout)).not.toContain(secret);
  });

  it('encode and decode are inverse over HTTP, and bad bodies are 400s saying why', async () => {
    const server = await codecServer(WRITE_KEYS);
    const plain = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"orderId":"X-1"}') };
    const encoded = (await (await post(`${server.url}/encode`, [plain])).json()) as {
      payloads: { metadata: Record<string, string>; data: string }[];
    };
    const sealed = {
      metadata: Object.fromEntries(
        Object.entries(encoded.payloads[0]!.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
      ),
      data: Buffer.from(encoded.payloads[0]!.data, 'base64'),
    };
    expect(Buffer.from(sealed.metadata['encryption-key-id']!).toString()).toBe('k-2024');
    expect(await decodeVia(server, [sealed])).toEqual(['{"orderId":"X-1"}']);

    const bad = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"payloads":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'the body is not JSON: send {"payloads":[...]} (proto3 JSON)' });
    const notBase64 = await fetch(`${server.url}/decode`, {
      method: 'POST',
      body: JSON.stringify({ payloads: [{ metadata: { encoding: 'binary encrypted' } }] }),
    });
    expect(await notBase64.json()).toEqual({
      error: 'payloads[0]: payload metadata "encoding" must be a base64 string',
    });
    expect((await fetch(`${server.url}/decode`)).status).toBe(405);
    expect((await fetch(`${server.url}/other`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('asks for the bearer token when RESCIND_CODEC_TOKEN is set', async () => {
    const token = randomUUID();
    const server = await codecServer(WRITE_KEYS, token);
    const payload = finished[0]!.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const refused = await post(`${server.url}/decode`, [payload]);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(`${server.url}/decode`, [payload], { authorization: `Bearer ${randomUUID()}` })).status).toBe(
      401,
    );
    expect((await post(`${server.url}/decode`, [payload], { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('after rotation (new key first, old second) history written with the old key still decodes', async () => {
    const rotated = await codecServer(`k-2025:${key()},${WRITE_KEYS}`);
    const decoded = (await decodeVia(rotated, payloadsIn(finished[1]!.events))).join('\n');
    for (const secret of finished[1]!.secrets) expect(decoded).toContain(secret);
  });

  it('a missing key and a wrong key are 400s naming the key id, never other plaintext', async () => {
    const payload = finished[0]!.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const withoutOld = await codecServer(`k-2025:${key()}`);
    const missing = await post(`${withoutOld.url}/decode`, [payload]);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      type: 'unknown_payload_key',
      keyId: 'k-2024',
      error: expect.stringContaining('"k-2024"'),
    });

    const wrongBytes = await codecServer(`k-2024:${key()}`);
    const wrong = await post(`${wrongBytes.url}/decode`, [payload]);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ type: 'payload_not_authentic', keyId: 'k-2024' });
  });

  it('tampered ciphertext fails authentication', async () => {
    const server = await codecServer(WRITE_KEYS);
    const payload = finished[0]!.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const data = Buffer.from(payload.data!);
    data[40] = data[40]! ^ 0x20;
    const res = await post(`${server.url}/decode`, [{ metadata: payload.metadata, data }]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'payload_not_authentic',
      keyId: 'k-2024',
      error: expect.stringContaining('fails authentication'),
    });
  });

  it('the CLI reads encrypted runs with the keys, refuses without them, and serves `rescind codec-server`', async () => {
    const { workflowId } = finished[0]!;
    const [, , merchant, orderId] = workflowId.split(':');
    const cliEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...variables };
    const status = await runCli(['status', 'qfpay', merchant!, orderId!, '--json'], cliEnv);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ workflowId, stage: 'done', outcome: { kind: 'refunded' } });

    const withoutKeys = await runCli(['status', 'qfpay', merchant!, orderId!, '--json'], {
      ...cliEnv,
      RESCIND_PAYLOAD_KEYS: '',
    });
    expect(withoutKeys).toMatchObject({ code: 1, stdout: '' });
    expect(withoutKeys.stderr).toContain(
      'error: payload encrypted with key "k-2024", but RESCIND_PAYLOAD_KEYS is not set',
    );

    // Before a rollout: the runs replay with the workers' keys; without them each run fails, saying why.
    const query = `WorkflowId = '${workflowId}'`;
    const replayed = await runCli(['replay', '--query', query, '--json'], cliEnv);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toEqual({ query, replayed: 1, failed: [] });
    const replayedWithoutKeys = await runCli(['replay', '--query', query], { ...cliEnv, RESCIND_PAYLOAD_KEYS: '' });
    expect(replayedWithoutKeys.code).toBe(1);
    const [failure] = replayedWithoutKeys.stdout.split('\n');
    expect(failure).toMatch(new RegExp(`^FAILED ${workflowId} \\(run [\\w-]+\\): ReplayError: `));
    expect(failure).toContain('payload encrypted with key "k-2024", but RESCIND_PAYLOAD_KEYS is not set');

    const port = await freePort();
    const served = await startRescind(
      ['codec-server', '--port', String(port)],
      { ...cliEnv, RESCIND_CODEC_CORS_ORIGIN: UI_ORIGIN },
      /Stop with Ctrl-C/,
    );
    try {
      expect(served.output()).toContain(`codec server on http://127.0.0.1:${port}`);
      const payload = finished[0]!.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const res = await post(`http://127.0.0.1:${port}/decode`, [payload]);
      expect(res.status).toBe(200);
      const [input] = ((await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] })
        .payloads;
      expect(JSON.parse(Buffer.from(input!.data, 'base64').toString('utf8'))).toMatchObject({ order: { orderId } });
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});
