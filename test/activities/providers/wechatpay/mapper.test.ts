/**
 * Every row of the WeChat Pay mapper: each documented error code on each call (signed and
 * unsigned), each trade_state and refund status, answers about another order, refund or amount,
 * and answers that cannot be trusted. Unknown codes and states are never read as success.
 */
import type { WechatAnswer } from '../../../../activities/providers/wechatpay/client.js';
import { CODES } from '../../../../activities/providers/wechatpay/codes.js';
import {
  mapCancel,
  mapQuery,
  mapRefund,
  mapRefundQuery,
  WECHATPAY_IN_PROGRESS_RETRY_MS,
  WECHATPAY_NOT_YET_VISIBLE_RETRY_MS,
  type WechatExpected,
} from '../../../../activities/providers/wechatpay/mapper.js';

type Sig = 'valid' | 'missing' | 'invalid';
const answer = (status: number, json?: unknown, sig: Sig = 'valid', unreadable?: string): WechatAnswer => ({
  status,
  json,
  unreadable,
  signature:
    sig === 'valid'
      ? { valid: true }
      : {
          valid: false,
          missing: sig === 'missing',
          reason: sig === 'missing' ? 'signature headers missing' : 'Wechatpay-Signature did not verify',
        },
});
const E: WechatExpected = {
  spMchid: '1230000109',
  subMchid: '1900000109',
  orderId: 'O1',
  transactionId: '4200000001',
  amount: 100,
};
const KEY = 'O1-RF1';

/** Run one call on an answer: its result, or "!<failure type>" when thrown. */
const CALLS = {
  query: (a: WechatAnswer) => mapQuery(a, E).status,
  close: (a: WechatAnswer) => mapCancel('close', a, E).result,
  reverse: (a: WechatAnswer) => mapCancel('reverse', a, E).result,
  refund: (a: WechatAnswer) => mapRefund(a, { order: E, refundKey: KEY, amount: 100 }).result,
  queryRefund: (a: WechatAnswer) => mapRefundQuery(a, { order: E, refundKey: KEY }).status,
};
type Call = keyof typeof CALLS;
const outcome = (call: Call, a: WechatAnswer): string => {
  try {
    return CALLS[call](a);
  } catch (err) {
    return `!${(err as { type?: string }).type ?? (err as Error).message}`;
  }
};

/** For each documented code (§5.4, §7.3): its usual HTTP status, then query, close, reverse, refund, queryRefund. */
const TABLE: Record<
  string,
  [status: number, query: string, close: string, reverse: string, refund: string, queryRefund: string]
> = {
  PARAM_ERROR: [
    400,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  INVALID_REQUEST: [
    400,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  SIGN_ERROR: [
    401,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  APPID_MCHID_NOT_MATCH: [
    400,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  MCH_NOT_EXISTS: [
    400,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  NO_AUTH: [
    403,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  OUT_TRADE_NO_USED: [
    403,
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
    '!request_rejected',
  ],
  FREQUENCY_LIMITED: [403, '!rate_limited', '!rate_limited', '!rate_limited', '!rate_limited', '!rate_limited'],
  RATELIMIT_EXCEEDED: [403, '!rate_limited', '!rate_limited', '!rate_limited', '!rate_limited', '!rate_limited'],
  SYSTEM_ERROR: [400, '!transient', '!transient', '!transient', '!transient', '!transient'],
  BANK_ERROR: [400, '!transient', '!transient', '!transient', '!transient', '!transient'],
  SERVICE_UNAVAILABLE: [400, '!transient', '!transient', '!transient', '!transient', '!transient'],
  USERPAYING: [403, 'unknown', '!in_progress', '!in_progress', '!in_progress', '!untrusted_response'],
  ORDER_NOT_EXIST: [404, 'not_found', 'rejected', 'rejected', '!transient', 'not_found'],
  RESOURCE_NOT_EXISTS: [404, 'not_found', 'rejected', 'rejected', '!transient', 'not_found'],
  NOT_FOUND: [404, 'not_found', 'rejected', 'rejected', '!transient', 'not_found'],
  ORDER_CLOSED: [400, 'unknown', 'already', 'already', 'rejected', '!untrusted_response'],
  ORDER_PAID: [400, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  ORDERPAID: [400, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  REVERSE_EXPIRE: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  TRADE_ERROR: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  RULE_LIMIT: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  ACCOUNT_ERROR: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  NOT_ENOUGH: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  USER_ACCOUNT_ABNORMAL: [403, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
  // Not documented: never success, never a conclusion about the order.
  SOMETHING_NEW: [400, 'unknown', 'rejected', 'rejected', 'rejected', '!untrusted_response'],
};
const CALL_NAMES: Call[] = ['query', 'close', 'reverse', 'refund', 'queryRefund'];
/** Classes believed without a signature: they conclude nothing about money. */
const BELIEVED = new Set(['our_mistake', 'rate_limited', 'transient', 'in_progress']);
const UNTRUSTED: Record<Call, string> = {
  query: 'unknown',
  close: '!untrusted_response',
  reverse: '!untrusted_response',
  refund: '!untrusted_response',
  queryRefund: '!untrusted_response',
};

describe('error codes', () => {
  it('the table covers every code the mapper knows', () => {
    expect(Object.keys(CODES).sort()).toEqual(
      Object.keys(TABLE)
        .filter((c) => c !== 'SOMETHING_NEW')
        .sort(),
    );
  });

  describe.each(Object.entries(TABLE))('%s', (code, [status, ...want]) => {
    it.each(CALL_NAMES.map((call, i) => [call, want[i]!] as const))('signed, on %s → %s', (call, expected) => {
      expect(outcome(call, answer(status, { code, message: 'x' }))).toBe(expected);
    });
    it.each(CALL_NAMES.map((call, i) => [call, want[i]!] as const))(
      'unsigned, on %s → the same when it concludes nothing, else untrusted',
      (call, expected) => {
        const believed = BELIEVED.has(CODES[code]?.class ?? '');
        expect(outcome(call, answer(status, { code, message: 'x' }, 'missing'))).toBe(
          believed ? expected : UNTRUSTED[call],
        );
      },
    );
    it.each(CALL_NAMES)('with a signature that does not verify, on %s → untrusted', (call) => {
      expect(outcome(call, answer(status, { code, message: 'x' }, 'invalid'))).toBe(UNTRUSTED[call]);
    });
  });

  it('carries the code and the HTTP status; in-progress and not-yet-visible answers say when to retry', () => {
    expect(() => mapQuery(answer(401, { code: 'SIGN_ERROR', message: '签名错误' }), E)).toThrow(
      expect.objectContaining({
        type: 'request_rejected',
        details: expect.objectContaining({ httpStatus: 401, providerCode: 'SIGN_ERROR' }),
      }),
    );
    expect(() => mapCancel('reverse', answer(403, { code: 'USERPAYING' }), E)).toThrow(
      expect.objectContaining({
        type: 'in_progress',
        details: expect.objectContaining({ retryAfterMs: WECHATPAY_IN_PROGRESS_RETRY_MS }),
      }),
    );
    expect(() =>
      mapRefund(answer(404, { code: 'RESOURCE_NOT_EXISTS' }), { order: E, refundKey: KEY, amount: 100 }),
    ).toThrow(
      expect.objectContaining({
        type: 'transient',
        details: expect.objectContaining({ retryAfterMs: WECHATPAY_NOT_YET_VISIBLE_RETRY_MS }),
      }),
    );
    expect(mapCancel('close', answer(400, { code: 'ORDER_PAID', message: '订单已支付' }), E)).toEqual({
      result: 'rejected',
      providerCode: 'ORDER_PAID',
      message: '订单已支付',
    });
    expect(mapCancel('close', answer(400, { code: 'ORDER_CLOSED' }), E)).toEqual({
      result: 'already',
      providerCode: 'ORDER_CLOSED',
      message: CODES.ORDER_CLOSED!.meaning,
    });
  });

  it.each(CALL_NAMES)('an error status without an error body on %s is not read', (call) => {
    expect(outcome(call, answer(404, undefined, 'valid', 'body is not JSON'))).toBe(UNTRUSTED[call]);
    expect(outcome(call, answer(400, { message: 'no code' }))).toBe(UNTRUSTED[call]);
  });
});

describe('2xx answers must be signed and readable', () => {
  const paid = {
    sp_mchid: '1230000109',
    sub_mchid: '1900000109',
    out_trade_no: 'O1',
    transaction_id: '4200000001',
    trade_state: 'SUCCESS',
    amount: { total: 100 },
  };
  const refund = {
    refund_id: 'R1',
    out_refund_no: KEY,
    out_trade_no: 'O1',
    transaction_id: '4200000001',
    status: 'SUCCESS',
    amount: { refund: 100, total: 100 },
  };
  const bodies: Record<Call, [number, unknown]> = {
    query: [200, paid],
    close: [204, undefined],
    reverse: [200, { out_trade_no: 'O1' }],
    refund: [200, refund],
    queryRefund: [200, refund],
  };

  it.each(CALL_NAMES)('%s: unsigned, mis-signed or unreadable is never success', (call) => {
    const [status, json] = bodies[call];
    expect(outcome(call, answer(status, json))).not.toMatch(/^!|unknown/);
    expect(outcome(call, answer(status, json, 'missing'))).toBe(UNTRUSTED[call]);
    expect(outcome(call, answer(status, json, 'invalid'))).toBe(UNTRUSTED[call]);
    expect(outcome(call, answer(status, undefined, 'valid', 'body is not JSON'))).toBe(UNTRUSTED[call]);
  });

  it('an unsigned answer is unknown with the reason', () => {
    expect(mapQuery(answer(200, paid, 'missing'), E)).toEqual({
      status: 'unknown',
      reason: 'HTTP 200: signature headers missing',
      providerCode: 'signature_missing',
    });
    expect(mapQuery(answer(200, paid, 'invalid'), E)).toEqual({
      status: 'unknown',
      reason: 'Wechatpay-Signature did not verify',
      providerCode: 'signature_invalid',
    });
  });

  it('202 (accepted, not processed): writes are in progress, a query is unknown', () => {
    expect(outcome('query', answer(202))).toBe('unknown');
    for (const call of ['close', 'reverse', 'refund'] as const) expect(outcome(call, answer(202))).toBe('!in_progress');
    expect(outcome('queryRefund', answer(202))).toBe('!untrusted_response');
  });

  it('close is done on 204 or 200, anything else is not read', () => {
    expect(mapCancel('close', answer(204), E)).toEqual({ result: 'done', providerCode: 'HTTP_204' });
    expect(mapCancel('close', answer(200, {}), E)).toEqual({ result: 'done', providerCode: 'HTTP_200' });
    expect(outcome('close', answer(201, {}))).toBe('!untrusted_response');
  });

  it('reverse is done on a 200 about our order only', () => {
    expect(
      mapCancel('reverse', answer(200, { sp_mchid: '1230000109', sub_mchid: '1900000109', out_trade_no: 'O1' }), E),
    ).toEqual({ result: 'done', providerCode: 'HTTP_200' });
    expect(mapCancel('reverse', answer(200, {}), E)).toEqual({ result: 'done', providerCode: 'HTTP_200' });
    expect(outcome('reverse', answer(200, { out_trade_no: 'O2' }))).toBe('!untrusted_response');
    expect(outcome('reverse', answer(200, { out_trade_no: 'O1', sub_mchid: '1900000999' }))).toBe(
      '!untrusted_response',
    );
    expect(outcome('reverse', answer(200, { out_trade_no: 7 }))).toBe('!untrusted_response');
    expect(outcome('reverse', answer(204))).toBe('!untrusted_response');
  });
});

describe('trade_state (§6.1)', () => {
  const tx = (trade_state: string, extra: Record<string, unknown> = {}) =>
    answer(200, {
      sp_mchid: '1230000109',
      sub_mchid: '1900000109',
      out_trade_no: 'O1',
      trade_type: 'MICROPAY',
      trade_state,
      amount: { total: 100 },
      ...extra,
    });
  it.each([
    ['SUCCESS', { status: 'paid' }],
    ['NOTPAY', { status: 'unpaid' }],
    ['USERPAYING', { status: 'paying' }],
    ['CLOSED', { status: 'closed', reason: 'closed' }],
    ['REVOKED', { status: 'closed', reason: 'reversed', reversedAfterPayment: false }],
    ['PAYERROR', { status: 'closed', reason: 'failed' }],
    // A refund exists but its size is not in the query: never "full".
    ['REFUND', { status: 'refunded', refundedAmount: 0, full: false }],
    // ACCEPT belongs to entrusted deduction, not to this API (§6.1).
    ['ACCEPT', { status: 'unknown', reason: 'unrecognised trade_state ACCEPT' }],
    ['success', { status: 'unknown', reason: 'unrecognised trade_state success' }],
  ])('%s → %j', (state, want) => {
    expect(mapQuery(tx(state), E)).toEqual({
      providerCode: `trade_state=${state}`,
      amount: 100,
      payType: 'MICROPAY',
      providerOrderId: undefined,
      paidAt: undefined,
      ...want,
    });
  });

  it('a paid answer carries transaction_id, amount, trade type and success_time', () => {
    expect(
      mapQuery(tx('SUCCESS', { transaction_id: '4200000001', success_time: '2021-03-03T10:00:00+08:00' }), E),
    ).toEqual({
      status: 'paid',
      providerCode: 'trade_state=SUCCESS',
      providerOrderId: '4200000001',
      amount: 100,
      payType: 'MICROPAY',
      paidAt: '2021-03-03T10:00:00+08:00',
    });
  });

  it('REVOKED after a payment (a success_time) says the money went back', () => {
    expect(
      mapQuery(tx('REVOKED', { transaction_id: '4200000001', success_time: '2021-03-03T10:00:00+08:00' }), E),
    ).toMatchObject({ status: 'closed', reason: 'reversed', reversedAfterPayment: true });
  });

  it('null fields count as absent', () => {
    expect(mapQuery(tx('NOTPAY', { transaction_id: null, success_time: null, sub_mchid: null }), E)).toMatchObject({
      status: 'unpaid',
      providerOrderId: undefined,
    });
  });

  it.each([
    ['another out_trade_no', { out_trade_no: 'O2' }, 'other_order'],
    ['another sub_mchid', { sub_mchid: '1900000999' }, 'other_order'],
    ['another sp_mchid', { sp_mchid: '1230000999' }, 'other_order'],
    ['another transaction_id', { transaction_id: '4200000002' }, 'other_order'],
    ['another total', { amount: { total: 99 } }, 'amount_mismatch'],
  ])('a paid answer naming %s is unknown, never paid', (_what, extra, providerCode) => {
    expect(mapQuery(tx('SUCCESS', extra), E)).toMatchObject({ status: 'unknown', providerCode });
  });

  it('without a known transaction_id or amount, those are not compared', () => {
    expect(
      mapQuery(tx('SUCCESS', { transaction_id: '4200000002', amount: { total: 99 } }), {
        ...E,
        transactionId: undefined,
        amount: undefined,
      }),
    ).toMatchObject({ status: 'paid' });
  });

  it('a transaction with missing or mistyped fields is unknown', () => {
    expect(mapQuery(answer(200, { out_trade_no: 'O1' }), E)).toMatchObject({
      status: 'unknown',
      providerCode: 'unparseable',
    });
    expect(
      mapQuery(answer(200, { out_trade_no: 'O1', trade_state: 'SUCCESS', amount: { total: '100' } }), E),
    ).toMatchObject({ status: 'unknown', providerCode: 'unparseable' });
    expect(mapQuery(answer(201, {}), E)).toMatchObject({ status: 'unknown', providerCode: 'HTTP_201' });
  });
});

describe('refund status (§6.2)', () => {
  const refund = (status: string, extra: Record<string, unknown> = {}) =>
    answer(200, {
      refund_id: 'R1',
      out_refund_no: KEY,
      out_trade_no: 'O1',
      transaction_id: '4200000001',
      status,
      amount: { refund: 100, total: 100 },
      ...extra,
    });
  it.each([
    ['SUCCESS', 'succeeded', 'succeeded'],
    ['PROCESSING', 'accepted', 'processing'],
    ['ABNORMAL', 'accepted', 'failed'],
    ['CLOSED', 'rejected', 'failed'],
    ['CLOSE', '!untrusted_response', '!untrusted_response'],
    ['REFUNDED', '!untrusted_response', '!untrusted_response'],
  ])('%s → create %s, query %s', (status, created, queried) => {
    expect(outcome('refund', refund(status))).toBe(created);
    expect(outcome('queryRefund', refund(status))).toBe(queried);
  });

  it('a verified refund carries its id, status and amount', () => {
    expect(mapRefund(refund('SUCCESS'), { order: E, refundKey: KEY, amount: 100 })).toEqual({
      result: 'succeeded',
      providerCode: 'status=SUCCESS',
      refundId: 'R1',
    });
    expect(mapRefundQuery(refund('PROCESSING'), { order: E, refundKey: KEY })).toEqual({
      status: 'processing',
      providerCode: 'status=PROCESSING',
      refundId: 'R1',
      amount: 100,
    });
    expect(mapRefund(refund('ABNORMAL'), { order: E, refundKey: KEY, amount: 100 })).toMatchObject({
      result: 'accepted',
      message: expect.stringContaining('ABNORMAL'),
    });
  });

  it('our key answering with another amount is not the refund asked for', () => {
    expect(mapRefund(refund('SUCCESS'), { order: E, refundKey: KEY, amount: 60 })).toEqual({
      result: 'rejected',
      providerCode: 'status=SUCCESS',
      refundId: 'R1',
      message: `out_refund_no ${KEY} already names a refund of 100, not 60`,
    });
  });

  it('an answer about another refund is not read; our key on another order is our mistake', () => {
    expect(outcome('refund', refund('SUCCESS', { out_refund_no: 'O1-RF2' }))).toBe('!untrusted_response');
    expect(outcome('queryRefund', refund('SUCCESS', { out_refund_no: 'O1-RF2' }))).toBe('!untrusted_response');
    expect(outcome('refund', refund('SUCCESS', { out_trade_no: 'O2' }))).toBe('!request_rejected');
    expect(outcome('queryRefund', refund('SUCCESS', { transaction_id: '4200000002' }))).toBe('!request_rejected');
  });

  it('a refund with missing fields is not read', () => {
    expect(outcome('refund', answer(200, { refund_id: 'R1', out_refund_no: KEY, status: 'SUCCESS' }))).toBe(
      '!untrusted_response',
    );
    expect(
      outcome('queryRefund', answer(200, { out_refund_no: KEY, status: 'SUCCESS', amount: { refund: 100 } })),
    ).toBe('!untrusted_response');
    expect(outcome('refund', answer(201, refund('SUCCESS').json))).toBe('!untrusted_response');
  });
});
