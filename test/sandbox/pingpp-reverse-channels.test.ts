/**
 * The Ping++ simulator's reverse route answers from the workflow's channel table (workflows/pingpp-channels.ts,
 * docs/providers/pingpp.md §4.2): inside a channel's window the charge is reversed; outside it, for a paid charge of
 * an unpaid-only channel, or for a channel Ping++ does not reverse, the answer is Ping++'s error shape (§6: 400
 * invalid_request_error) and nothing changes. Over real HTTP, signed as Ping++ requires, on a fixed sandbox clock.
 */
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pingppSandboxSettings as settings, resetPingppSandboxSettings } from '../../sandbox/providers/pingpp/index.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { PINGPP_REVERSE_CHANNELS } from '../../workflows/pingpp-channels.js';
import { FIXTURE_KEYS, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { createSandboxOrder, moneyMoves, sandboxOrder, type SandboxOrderView } from '../helpers/sandbox-orders.js';

const MERCHANT_PRIVATE = readFileSync(`${FIXTURE_KEYS}/pingpp_merchant_private_pkcs8.pem`, 'utf8');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const beijing = (wallClock: string): number => Date.parse(`${wallClock}+08:00`);

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => sb.close());
afterEach(() => resetPingppSandboxSettings());

/** Fix the sandbox's clock at this instant. */
const clockAt = (ms: number): void => {
  settings.now = () => new Date(ms);
};

const make = (payType: string, state: 'paid' | 'unpaid', createdAtMs: number): Promise<SandboxOrderView> =>
  createSandboxOrder(sb, {
    provider: 'pingpp',
    state,
    amount: 5000,
    payType,
    createdAt: new Date(createdAtMs).toISOString(),
  });

/** POST …/reverse with body {}, signed over body + request-target + timestamp (§2) with the merchant key. */
async function reverse(order: SandboxOrderView): Promise<{ status: number; json: any }> {
  const path = `/pingpp/v1/charges/${order.providerOrderId}/reverse`;
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${sb.sandbox.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SANDBOX_ACCOUNTS.pingpp.apiKey}`,
      'content-type': 'application/json; charset=UTF-8',
      'pingplusplus-request-timestamp': ts,
      'pingplusplus-signature': createSign('RSA-SHA256').update(`{}${path}${ts}`).sign(MERCHANT_PRIVATE, 'base64'),
    },
    body: '{}',
  });
  return { status: res.status, json: await res.json() };
}

/** Ping++'s refusal: 400 invalid_request_error with a message only (§6.1), and the charge as it was. */
async function expectRefused(order: SandboxOrderView, message: string): Promise<void> {
  const res = await reverse(order);
  expect(res).toEqual({
    status: 400,
    json: { error: { type: 'invalid_request_error', message: expect.stringContaining(message) } },
  });
  const after = await sandboxOrder(sb, 'pingpp', order.orderId);
  expect(after.state).not.toBe('reversed');
  expect(await moneyMoves(sb, order)).toMatchObject({ reversals: 0, returned: 0 });
}

async function expectReversed(order: SandboxOrderView, paid: boolean): Promise<void> {
  expect(await reverse(order)).toMatchObject({
    status: 200,
    json: { id: order.providerOrderId, reversed: true, paid },
  });
  expect((await sandboxOrder(sb, 'pingpp', order.orderId)).state).toBe('reversed');
}

const NOON = beijing('2026-03-10T12:00:00');
const CHANNELS = Object.entries(PINGPP_REVERSE_CHANNELS);
const ONCE_PAID = CHANNELS.filter(([, e]) => e.reversible === 'paid_or_unpaid').map(([c]) => c);
const UNPAID_ONLY = CHANNELS.filter(([, e]) => e.reversible === 'unpaid_only').map(([c]) => c);

describe('inside the window', () => {
  it.each(CHANNELS.map(([c]) => c))('%s: an unpaid charge a minute old is reversed', async (channel) => {
    clockAt(NOON);
    await expectReversed(await make(channel, 'unpaid', NOON - MINUTE), false);
  });

  it.each(ONCE_PAID)('%s: a paid charge a minute old is reversed and its money goes back once', async (channel) => {
    clockAt(NOON);
    const order = await make(channel, 'paid', NOON - MINUTE);
    await expectReversed(order, true);
    expect(await moneyMoves(sb, order)).toMatchObject({ reversals: 1, returned: 5000, overReturned: 0 });
  });
});

describe('the documented windows, at their edges (paid scan charges, which do not expire)', () => {
  it.each([
    ['wx_pub_scan', 7 * DAY, '7 days'],
    ['cb_wx_pub_scan', 7 * DAY, '7 days'],
    ['alipay_scan', DAY, '24 hours'],
  ])('%s: reversed at its last instant, refused a minute later', async (channel, windowMs, words) => {
    clockAt(NOON);
    await expectReversed(await make(channel, 'paid', NOON - windowMs), true);
    await expectRefused(await make(channel, 'paid', NOON - windowMs - MINUTE), words);
  });

  it('upacp_scan: the UnionPay day runs from 23:00 to 23:00, so 13 hours can already be another day', async () => {
    clockAt(NOON);
    await expectReversed(await make('upacp_scan', 'paid', beijing('2026-03-09T23:10:00')), true);
    await expectRefused(await make('upacp_scan', 'paid', beijing('2026-03-09T22:50:00')), 'UnionPay');
  });

  it.each(['isv_scan', 'isv_wap', 'isv_qr'])('%s: only charges made today (Beijing) are reversed', async (channel) => {
    clockAt(NOON);
    await expectReversed(await make(channel, 'paid', beijing('2026-03-10T00:05:00')), true);
    await expectRefused(await make(channel, 'paid', beijing('2026-03-09T23:55:00')), 'today');
  });
});

describe('unpaid-only channels', () => {
  it.each(['upacp', 'upacp_pc', 'upacp_wap'])(
    '%s: same UnionPay day reversed, the day before refused (the gap now closed)',
    async (channel) => {
      clockAt(beijing('2026-03-09T23:30:00'));
      await expectReversed(await make(channel, 'unpaid', beijing('2026-03-09T23:10:00')), false);
      await expectRefused(await make(channel, 'unpaid', beijing('2026-03-09T22:50:00')), 'UnionPay');
    },
  );

  it.each(['wx', 'wx_pub', 'alipay', 'alipay_qr'])('%s: past the 7 days of the table, refused', async (channel) => {
    clockAt(NOON);
    await expectRefused(await make(channel, 'unpaid', NOON - 8 * DAY), '7 days');
  });

  it.each(UNPAID_ONLY)('%s: a paid charge is refused, to be refunded instead', async (channel) => {
    clockAt(NOON);
    await expectRefused(await make(channel, 'paid', NOON - MINUTE), 'use a refund');
  });
});

describe('channels outside the table, and the older revision', () => {
  it.each(['bfb', 'applepay_upacp', 'jdpay_wap', 'toString'])('%s: never reversed', async (channel) => {
    clockAt(NOON);
    await expectRefused(await make(channel, 'unpaid', NOON - MINUTE), 'cannot be reversed');
  });

  it('older revision: only the 8 channels it lists reverse', async () => {
    settings.reverseRevision = 'older';
    clockAt(NOON);
    await expectRefused(await make('alipay_qr', 'unpaid', NOON - MINUTE), 'cannot be reversed');
    await expectReversed(await make('upacp_scan', 'unpaid', NOON - MINUTE), false);
  });
});
