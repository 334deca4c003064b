/**
 * Every row of the Ping++ mapper (docs/providers/pingpp.md §4–§6): charge states, reverse and refund answers,
 * refund lists and refund observations, errors by HTTP status and type. Anything unverified,
 * unparseable, not ours or contradictory is unknown (query) or thrown (write) — never success.
 */
import type { PingppAnswer } from '../../../../activities/providers/pingpp/client.js';
import {
  EXPIRY_GRACE_MS,
  mapCharge,
  mapRefundCreated,
  mapReverse,
  observeRefund,
  readRefundPage,
  REVERSE_RETRY_MS,
  showsPartialRefunds,
  type ChargeExpected,
} from '../../../../activities/providers/pingpp/mapper.js';
import { fitDescription, refundBody } from '../../../../activities/providers/pingpp/refund-body.js';
import type { PingppRefund } from '../../../../activities/providers/pingpp/wire.js';

const NOW = Date.parse('2026-11-22T08:00:00Z');
const NOW_S = NOW / 1000;
const E: ChargeExpected = {
  chargeId: 'ch_injTG4KGWPePS88WPGPyfzz5',
  orderId: '149569419725834',
  appId: 'app_4OOi9SGuD88GGqbL',
  amount: 1000,
};

type Obj = Record<string, unknown>;
const list = (data: Obj[] = [], hasMore = false): Obj => ({
  object: 'list',
  url: `/v1/charges/${E.chargeId}/refunds`,
  has_more: hasMore,
  data,
});
const refund = (status: string, amount = 1000, over: Obj = {}): Obj => ({
  id: `re_${status}${amount}`,
  object: 'refund',
  amount,
  status,
  charge: E.chargeId,
  metadata: {},
  ...over,
});
const charge = (over: Obj = {}): Obj => ({
  id: E.chargeId,
  object: 'charge',
  livemode: true,
  app: E.appId,
  channel: 'isv_scan',
  order_no: E.orderId,
  amount: 1000,
  currency: 'cny',
  paid: false,
  refunded: false,
  reversed: false,
  amount_refunded: 0,
  time_paid: null,
  time_expire: NOW_S + 3600,
  failure_code: null,
  refunds: list(),
  ...over,
});
const paid = (over: Obj = {}): Obj => charge({ paid: true, time_paid: NOW_S - 600, ...over });
const ok = (body: unknown, signature: 'valid' | 'invalid' | 'missing' | 'unchecked' = 'valid'): PingppAnswer => ({
  kind: 'object',
  status: 200,
  body,
  signature,
});
const err = (status: number, type: string, extra: Obj = {}, signed = true): PingppAnswer => ({
  kind: 'error',
  status,
  error: { type, message: 'message', ...extra },
  signed,
});
const unreadable: PingppAnswer = { kind: 'unreadable', status: 200, why: 'body is not JSON' };

/** The charge of seed 004: an isv_scan charge reversed after payment. */
const SEED_004 = {
  id: 'ch_injTG4KGWPePS88WPGPyfzz5',
  object: 'charge',
  created: 1495694197,
  livemode: true,
  paid: true,
  refunded: false,
  reversed: true,
  app: 'app_4OOi9SGuD88GGqbL',
  channel: 'isv_scan',
  order_no: '149569419725834',
  client_ip: '127.0.0.1',
  amount: 1,
  amount_settle: 1,
  currency: 'cny',
  subject: 'cm isv_scan',
  body: 'cm isv_scan',
  extra: {
    scan_code: '130141564083799183',
    terminal_id: '00000001',
    pay_channel: 'wx',
    buyer_account: 'omYJss9x8g2TzmrxnUtrOr7qWhwc',
    chcd_discount: '0.00',
    mer_discount: '0.00',
  },
  time_paid: 1495694546,
  time_expire: 1495780597,
  time_settle: null,
  transaction_no: '4002362001201705252516756579',
  refunds: { object: 'list', url: '/v1/charges/ch_injTG4KGWPePS88WPGPyfzz5/refunds', has_more: false, data: [] },
  amount_refunded: 0,
  failure_code: null,
  failure_msg: null,
  metadata: {},
  credential: {},
  description: null,
};

describe('charge → Observation', () => {
  it.each<[string, PingppAnswer, Obj]>([
    [
      'unpaid',
      ok(charge()),
      { status: 'unpaid', providerCode: 'paid=false,reversed=false,refunded=false,amount_refunded=0' },
    ],
    [
      'unpaid, response signature not checked (no Ping++ key configured)',
      ok(charge(), 'unchecked'),
      { status: 'unpaid' },
    ],
    ['unpaid without time_expire', ok(charge({ time_expire: null })), { status: 'unpaid' }],
    [
      'unpaid, time_expire just passed (inside the grace)',
      ok(charge({ time_expire: NOW_S - EXPIRY_GRACE_MS / 1000 + 5 })),
      { status: 'unpaid' },
    ],
    [
      'unpaid, time_expire long passed',
      ok(charge({ time_expire: NOW_S - 3600 })),
      { status: 'closed', reason: 'expired' },
    ],
    [
      'payment failed at the channel',
      ok(charge({ failure_code: 'channel_returns_fail' })),
      {
        status: 'closed',
        reason: 'failed',
        providerCode: expect.stringContaining('failure_code=channel_returns_fail'),
      },
    ],
    [
      'reversed while unpaid',
      ok(charge({ reversed: true })),
      { status: 'closed', reason: 'reversed', reversedAfterPayment: false },
    ],
    [
      'paid',
      ok(paid()),
      {
        status: 'paid',
        paidAt: new Date((NOW_S - 600) * 1000).toISOString(),
        amount: 1000,
        payType: 'isv_scan',
        providerOrderId: E.chargeId,
      },
    ],
    [
      'paid, one refund pending',
      ok(paid({ refunded: true, refunds: list([refund('pending')]) })),
      { status: 'refunding', refundedAmount: 0 },
    ],
    [
      'paid, one refund succeeded and one pending',
      ok(
        paid({
          refunded: true,
          amount_refunded: 300,
          refunds: list([refund('pending', 700), refund('succeeded', 300)]),
        }),
      ),
      { status: 'refunding', refundedAmount: 300 },
    ],
    [
      'refunded=true and amount_refunded == amount, but the refund is still pending: not refunded',
      ok(paid({ refunded: true, amount_refunded: 1000, refunds: list([refund('pending')]) })),
      { status: 'refunding', refundedAmount: 0 },
    ],
    [
      'fully refunded',
      ok(paid({ refunded: true, amount_refunded: 1000, refunds: list([refund('succeeded')]) })),
      { status: 'refunded', refundedAmount: 1000, full: true },
    ],
    [
      'fully refunded in two parts',
      ok(
        paid({
          refunded: true,
          amount_refunded: 1000,
          refunds: list([refund('succeeded', 600), refund('succeeded', 400)]),
        }),
      ),
      { status: 'refunded', refundedAmount: 1000, full: true },
    ],
    [
      'partially refunded',
      ok(paid({ refunded: true, amount_refunded: 400, refunds: list([refund('succeeded', 400)]) })),
      { status: 'refunded', refundedAmount: 400, full: false },
    ],
    [
      'a failed refund beside a succeeded one',
      ok(
        paid({
          refunded: true,
          amount_refunded: 400,
          refunds: list([refund('failed', 600), refund('succeeded', 400)]),
        }),
      ),
      { status: 'refunded', refundedAmount: 400, full: false },
    ],
    [
      'every refund failed: still paid',
      ok(paid({ refunded: true, refunds: list([refund('failed')]) })),
      { status: 'paid', providerCode: expect.stringContaining('refunds failed') },
    ],
  ])('%s', (_name, answer, expected) => {
    expect(mapCharge(answer, E, NOW)).toMatchObject(expected);
  });

  it('seed 004 (paid, then reversed): the money went back by the reversal — closed/reversed, never refunded', () => {
    const obs = mapCharge(ok(SEED_004), { ...E, amount: 1 }, NOW);
    expect(obs).toEqual({
      status: 'closed',
      reason: 'reversed',
      reversedAfterPayment: true,
      providerCode: 'paid=true,reversed=true,refunded=false,amount_refunded=0',
      providerOrderId: SEED_004.id,
      amount: 1,
      payType: 'isv_scan',
      paidAt: new Date(1495694546 * 1000).toISOString(),
    });
  });

  it.each<[string, PingppAnswer, string]>([
    ['signature invalid', ok(paid(), 'invalid'), 'signature'],
    ['signature missing', ok(paid(), 'missing'), 'signature'],
    ['body not JSON', unreadable, 'unreadable'],
    ['reversed missing', ok({ ...paid(), reversed: undefined }), 'unparseable'],
    ['paid as a string', ok(paid({ paid: 'true' })), 'unparseable'],
    ['amount as a float', ok(paid({ amount: 10.5 })), 'unparseable'],
    ['not a charge', ok({ ...paid(), object: 'refund' }), 'unparseable'],
    ['another charge id', ok(paid({ id: 'ch_someoneElse000000000000000' })), 'not_ours'],
    ['another order_no', ok(paid({ order_no: 'OTHER' })), 'not_ours'],
    ['another app', ok(paid({ app: 'app_other' })), 'not_ours'],
    ['another amount', ok(paid({ amount: 999 })), 'not_ours'],
  ])('%s → unknown (%s)', (_name, answer, providerCode) => {
    expect(mapCharge(answer, E, NOW)).toMatchObject({ status: 'unknown', providerCode });
  });

  it.each<[string, Obj, string]>([
    [
      'refunded=true but the charge shows only a first page',
      paid({ refunded: true, amount_refunded: 1000, refunds: list([refund('succeeded')], true) }),
      'all of its refunds',
    ],
    [
      'refunded=true without a refunds field',
      { ...paid({ refunded: true, amount_refunded: 1000 }), refunds: undefined },
      'all of its refunds',
    ],
    ['refunded=true with no refund listed', paid({ refunded: true, amount_refunded: 1000 }), 'no refund is listed'],
    [
      'a refund in an unrecognised status',
      paid({ refunded: true, refunds: list([refund('processing')]) }),
      'unrecognised status',
    ],
    [
      'succeeded refunds above the amount',
      paid({ refunded: true, amount_refunded: 1200, refunds: list([refund('succeeded', 1200)]) }),
      'exceed',
    ],
    [
      'amount_refunded disagrees with the succeeded refunds',
      paid({ refunded: true, amount_refunded: 500, refunds: list([refund('succeeded', 400)]) }),
      'disagrees',
    ],
    [
      'all refunds failed, amount_refunded says otherwise',
      paid({ refunded: true, amount_refunded: 1000, refunds: list([refund('failed')]) }),
      'disagrees',
    ],
    ['refunded=false with amount_refunded', paid({ amount_refunded: 100 }), 'refunds are shown'],
    ['refunded=false with refunds listed', paid({ refunds: list([refund('succeeded')]) }), 'refunds are shown'],
    ['unpaid with refunds', charge({ refunded: true, refunds: list([refund('succeeded')]) }), 'unpaid charge'],
    ['unpaid with a payment time', charge({ time_paid: NOW_S }), 'unpaid charge'],
    ['reversed, unpaid, with refunds', charge({ reversed: true, amount_refunded: 100 }), 'unpaid charge'],
  ])('%s → unknown', (_name, body, reason) => {
    expect(mapCharge(ok(body), E, NOW)).toMatchObject({ status: 'unknown', reason: expect.stringContaining(reason) });
  });

  it('more refunds than one page: the full list decides; an unreadable list is unknown', () => {
    const body = paid({ refunded: true, amount_refunded: 1000, refunds: list([refund('succeeded', 100)], true) });
    const all = [refund('succeeded', 100), refund('succeeded', 900)] as PingppRefund[];
    expect(mapCharge(ok(body), E, NOW, all)).toMatchObject({ status: 'refunded', refundedAmount: 1000, full: true });
    expect(mapCharge(ok(body), E, NOW, [...all, refund('pending', 0)] as PingppRefund[])).toMatchObject({
      status: 'refunding',
    });
    expect(mapCharge(ok(body), E, NOW, 'unavailable')).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('could not be read'),
    });
  });

  it('an expanded app object is read by its id; no expected app or amount skips those checks', () => {
    expect(mapCharge(ok(paid({ app: { id: E.appId, object: 'app' } })), E, NOW)).toMatchObject({ status: 'paid' });
    expect(
      mapCharge(ok(paid({ app: 'app_other', amount: 5 })), { chargeId: E.chargeId, orderId: E.orderId }, NOW),
    ).toMatchObject({ status: 'paid' });
  });

  it.each<[string, PingppAnswer, Obj]>([
    [
      '404 invalid_request_error',
      err(404, 'invalid_request_error', { param: 'id' }),
      { status: 'not_found', providerCode: '404 invalid_request_error' },
    ],
    ['404 of another type', err(404, 'channel_error'), { status: 'unknown' }],
    [
      '404 without a Ping++ error body',
      { kind: 'unreadable', status: 404, why: 'HTTP 404 without a Ping++ error body' },
      { status: 'unknown', providerCode: 'unreadable' },
    ],
    [
      '402 channel_error',
      err(402, 'channel_error', { code: 'channel_busy' }),
      { status: 'unknown', providerCode: '402 channel_error/channel_busy' },
    ],
    ['409 invalid_request_error', err(409, 'invalid_request_error'), { status: 'unknown' }],
  ])('error %s → %j', (_name, answer, expected) => {
    expect(mapCharge(answer, E, NOW)).toMatchObject(expected);
  });

  it('an API key Ping++ echoes in an error message is masked', () => {
    expect(() =>
      mapCharge(err(401, 'invalid_request_error', { message: 'Invalid API key provided: sk_live_abcDEF123' }), E, NOW),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('abcDEF123') }));
    expect(mapReverse(err(402, 'channel_error', { message: 'key sk_test_abc123 refused' }), E)).toMatchObject({
      message: 'key sk_test_*** refused',
    });
  });

  it.each<[string, PingppAnswer, string]>([
    ['401 (API key)', err(401, 'invalid_request_error', { message: 'Invalid API key provided' }), 'configuration'],
    [
      '401 about the signature of a signed request',
      err(401, 'invalid_request_error', { message: 'Request signature verification failed' }),
      'request_rejected',
    ],
    [
      '401 about a signature we never sent',
      err(401, 'invalid_request_error', { message: 'Request signature is required' }, false),
      'configuration',
    ],
    ['403', err(403, 'invalid_request_error'), 'rate_limited'],
    ['400 invalid_request_error', err(400, 'invalid_request_error', { param: 'id' }), 'request_rejected'],
    ['api_error below 500', err(400, 'api_error'), 'transient'],
  ])('error %s is thrown as %s', (_name, answer, type) => {
    expect(() => mapCharge(answer, E, NOW)).toThrow(expect.objectContaining({ type }));
  });
});

describe('reverse → CancelResult', () => {
  it.each<[string, PingppAnswer, Obj]>([
    ['reversed, unpaid', ok(charge({ reversed: true })), { result: 'done', providerCode: 'reversed=true,paid=false' }],
    [
      'reversed after payment',
      ok(paid({ reversed: true })),
      { result: 'done', providerCode: 'reversed=true,paid=true', message: expect.stringContaining('money goes back') },
    ],
    ['reversed, signature not checked', ok(charge({ reversed: true }), 'unchecked'), { result: 'done' }],
    [
      '402 channel_error',
      err(402, 'channel_error', { code: 'SYSTEMERROR', message: 'channel said no' }),
      { result: 'rejected', providerCode: '402 channel_error/SYSTEMERROR', message: 'channel said no' },
    ],
    [
      '400 invalid_request_error without param (a rule: window, channel, paid)',
      err(400, 'invalid_request_error', { message: 'only charges of the last 7 days can be reversed' }),
      { result: 'rejected', providerCode: '400 invalid_request_error', message: expect.stringContaining('7 days') },
    ],
  ])('%s → %j', (_name, answer, expected) => {
    expect(mapReverse(answer, E)).toMatchObject(expected);
  });

  it('reversed=false: the channel has not confirmed yet → in_progress with a retry delay', () => {
    expect(() => mapReverse(ok(charge()), E)).toThrow(
      expect.objectContaining({
        type: 'in_progress',
        details: expect.objectContaining({ retryAfterMs: REVERSE_RETRY_MS, providerCode: 'reversed=false,paid=false' }),
      }),
    );
  });

  it.each<[string, PingppAnswer, string]>([
    ['signature invalid', ok(charge({ reversed: true }), 'invalid'), 'untrusted_response'],
    ['signature missing', ok(charge({ reversed: true }), 'missing'), 'untrusted_response'],
    ['body not JSON', unreadable, 'untrusted_response'],
    ['not a charge', ok(refund('succeeded')), 'untrusted_response'],
    ['another charge', ok(charge({ reversed: true, id: 'ch_other' })), 'untrusted_response'],
    ['400 naming a parameter', err(400, 'invalid_request_error', { param: 'id' }), 'request_rejected'],
    ['404', err(404, 'invalid_request_error'), 'request_rejected'],
    ['401', err(401, 'invalid_request_error'), 'configuration'],
    ['403', err(403, 'invalid_request_error'), 'rate_limited'],
    ['api_error', err(418, 'api_error'), 'transient'],
  ])('%s is thrown as %s', (_name, answer, type) => {
    expect(() => mapReverse(answer, E)).toThrow(expect.objectContaining({ type }));
  });
});

describe('created refund → RefundResult', () => {
  const R = { chargeId: E.chargeId, refundKey: 'O1:refund:1', amount: 400 };
  const mine = (status: string, over: Obj = {}) =>
    refund(status, 400, { id: 're_mine', metadata: { refund_key: R.refundKey }, ...over });

  it.each<[string, PingppAnswer, Obj]>([
    [
      'succeeded',
      ok(mine('succeeded')),
      { result: 'succeeded', providerCode: 'status=succeeded', refundId: 're_mine' },
    ],
    ['pending', ok(mine('pending')), { result: 'accepted', providerCode: 'status=pending', refundId: 're_mine' }],
    [
      'failed',
      ok(mine('failed', { failure_code: 'refund_fail', failure_msg: 'insufficient balance' })),
      { result: 'rejected', providerCode: 'status=failed,failure_code=refund_fail', message: 'insufficient balance' },
    ],
    [
      'an unrecognised status: the refund exists, queryRefund follows it',
      ok(mine('processing')),
      { result: 'accepted', providerCode: 'status=processing (unrecognised)' },
    ],
    ['no metadata echoed', ok(mine('succeeded', { metadata: undefined })), { result: 'succeeded' }],
    [
      '402 channel_error other than channel_busy',
      err(402, 'channel_error', { code: 'channel_returns_fail' }),
      { result: 'rejected', providerCode: '402 channel_error/channel_returns_fail' },
    ],
    [
      '400 without param (charge not refundable)',
      err(400, 'invalid_request_error', { message: 'charge has been fully refunded' }),
      { result: 'rejected', message: 'charge has been fully refunded' },
    ],
  ])('%s → %j', (_name, answer, expected) => {
    expect(mapRefundCreated(answer, R)).toMatchObject(expected);
  });

  it.each<[string, PingppAnswer, string]>([
    // docs/providers/pingpp.md §6.2: a busy channel is asked again, never read as a refusal.
    ['402 channel_error/channel_busy', err(402, 'channel_error', { code: 'channel_busy' }), 'in_progress'],
    ['signature invalid', ok(mine('succeeded'), 'invalid'), 'untrusted_response'],
    ['signature missing', ok(mine('succeeded'), 'missing'), 'untrusted_response'],
    ['body not JSON', unreadable, 'untrusted_response'],
    ['not a refund', ok(charge()), 'untrusted_response'],
    ['refund of another charge', ok(mine('succeeded', { charge: 'ch_other' })), 'untrusted_response'],
    ['another amount', ok(mine('succeeded', { amount: 401 })), 'untrusted_response'],
    ['another refund_key', ok(mine('succeeded', { metadata: { refund_key: 'other' } })), 'untrusted_response'],
    ['400 naming a parameter', err(400, 'invalid_request_error', { param: 'amount' }), 'request_rejected'],
    ['404', err(404, 'invalid_request_error'), 'request_rejected'],
    [
      '401 about our signature',
      err(401, 'invalid_request_error', { message: 'Pingplusplus-Signature verification failed' }),
      'request_rejected',
    ],
    ['403', err(403, 'invalid_request_error'), 'rate_limited'],
  ])('%s is thrown as %s', (_name, answer, type) => {
    expect(() => mapRefundCreated(answer, R)).toThrow(expect.objectContaining({ type }));
  });
});

describe('refund list pages', () => {
  it('a verified page is returned; a 404 is no_such_charge', () => {
    expect(readRefundPage('queryRefund', ok(list([refund('pending')])), E.chargeId)).toMatchObject({
      has_more: false,
      data: [{ status: 'pending' }],
    });
    expect(readRefundPage('queryRefund', ok(list(), 'unchecked'), E.chargeId)).toMatchObject({ data: [] });
    expect(readRefundPage('refund', err(404, 'invalid_request_error'), E.chargeId)).toBe('no_such_charge');
  });

  it.each<[string, PingppAnswer, string]>([
    ['signature invalid', ok(list(), 'invalid'), 'untrusted_response'],
    ['signature missing', ok(list(), 'missing'), 'untrusted_response'],
    ['body not JSON', unreadable, 'untrusted_response'],
    ['has_more missing', ok({ object: 'list', data: [] }), 'untrusted_response'],
    ['a refund of another charge', ok(list([refund('succeeded', 1, { charge: 'ch_other' })])), 'untrusted_response'],
    ['402', err(402, 'channel_error'), 'untrusted_response'],
    ['400', err(400, 'invalid_request_error', { param: 'limit' }), 'request_rejected'],
    ['401', err(401, 'invalid_request_error'), 'configuration'],
    ['403', err(403, 'invalid_request_error'), 'rate_limited'],
  ])('%s is thrown as %s', (_name, answer, type) => {
    expect(() => readRefundPage('refund', answer, E.chargeId)).toThrow(expect.objectContaining({ type }));
  });

  it('showsPartialRefunds only for a charge whose embedded list has more', () => {
    expect(showsPartialRefunds(ok(paid({ refunds: list([], true) })))).toBe(true);
    expect(showsPartialRefunds(ok(paid()))).toBe(false);
    expect(showsPartialRefunds(err(404, 'invalid_request_error'))).toBe(false);
    expect(showsPartialRefunds(ok(null))).toBe(false);
  });
});

describe('queryRefund: the refund carrying our metadata.refund_key', () => {
  const KEY = 'O1:refund:1';
  const r = (status: string, amount: number, id: string, key = KEY, over: Obj = {}) =>
    refund(status, amount, { id, metadata: { refund_key: key }, ...over }) as PingppRefund;

  it.each<[string, PingppRefund[], Obj]>([
    ['none at all', [], { status: 'not_found' }],
    [
      'only refunds with other keys or none',
      [r('succeeded', 100, 're_a', 'other'), refund('succeeded', 100) as PingppRefund],
      { status: 'not_found' },
    ],
    [
      'succeeded',
      [r('succeeded', 400, 're_a')],
      { status: 'succeeded', providerCode: 'status=succeeded', refundId: 're_a', amount: 400 },
    ],
    [
      'pending',
      [r('pending', 400, 're_a')],
      { status: 'processing', providerCode: 'status=pending', refundId: 're_a', amount: 400 },
    ],
    [
      'failed',
      [r('failed', 400, 're_a', KEY, { failure_code: 'refund_fail' })],
      { status: 'failed', providerCode: 'status=failed,failure_code=refund_fail', refundId: 're_a' },
    ],
    [
      'a failed attempt beside a pending one',
      [r('failed', 400, 're_a'), r('pending', 400, 're_b')],
      { status: 'processing', refundId: 're_b' },
    ],
    [
      'two live refunds with our key (someone retried without looking)',
      [r('succeeded', 400, 're_a'), r('succeeded', 400, 're_b')],
      { status: 'succeeded', amount: 800, providerCode: expect.stringContaining('2 refunds carry this key') },
    ],
    [
      'an unrecognised status',
      [r('processing', 400, 're_a')],
      { status: 'processing', providerCode: 'status=processing (unrecognised)' },
    ],
  ])('%s → %j', (_name, refunds, expected) => {
    expect(observeRefund(refunds, KEY)).toMatchObject(expected);
  });
});

describe('refund request body (§4.3)', () => {
  it('always states the amount and carries the refund key in metadata', () => {
    expect(
      refundBody({ refundKey: 'K', amount: 300, totalAmount: 1000, reason: 'customer cancelled' }, 'alipay_qr'),
    ).toEqual({ amount: 300, description: 'customer cancelled', metadata: { refund_key: 'K' } });
    expect(refundBody({ refundKey: 'K', amount: 1000, totalAmount: 1000 }, undefined).description).toBe(
      'Order cancelled',
    );
  });

  it.each([
    ['alipay_qr', 'x'.repeat(300), 255, undefined],
    ['coolcredit', '退'.repeat(150), 100, undefined],
    ['paypal', 'a refund for the customer who cancelled', undefined, 30],
    ['cmb_wallet', '退款'.repeat(60), undefined, 99],
    ['jdpay_wap', '退款'.repeat(60), undefined, 128],
  ] as const)('%s: description fits the channel limit', (channel, text, chars, bytes) => {
    const fitted = fitDescription(text, channel);
    if (chars !== undefined) expect([...fitted].length).toBe(chars);
    if (bytes !== undefined) {
      expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(bytes);
      expect(Buffer.byteLength(fitted, 'utf8')).toBeGreaterThan(bytes - 3);
    }
    expect(text.startsWith(fitted)).toBe(true);
  });

  it('a blank reason falls back to the default description', () => {
    expect(fitDescription('   ', 'alipay_qr')).toBe('Order cancelled');
  });
});
