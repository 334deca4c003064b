/** PAYJS mapper: every documented answer, every failure channel, and unknowns never read as success. */
import { readAnswer, type PayjsAnswer } from '../../../../activities/providers/payjs/client.js';
import {
  mapCancel,
  mapCheck,
  mapRefund,
  PAYJS_TRY_LATER_MS,
  payjsTimeToIso,
} from '../../../../activities/providers/payjs/mapper.js';
import { payjsSign } from '../../../../activities/providers/payjs/signer.js';
import { KEY, P3 } from './vectors.js';

const ID = P3.fields.payjs_order_id as string;
const expected = { mchid: '1528140051', payjsOrderId: ID, orderId: '2332' };
type Body = Record<string, string | number>;

const signed = (body: Body): PayjsAnswer => readAnswer(JSON.stringify({ ...body, sign: payjsSign(body, KEY) }), KEY);
const badlySigned = (body: Body): PayjsAnswer =>
  readAnswer(JSON.stringify({ ...body, sign: payjsSign(body, 'not-the-key') }), KEY);
const unsigned = (body: Body): PayjsAnswer => readAnswer(JSON.stringify(body), KEY);

/** The real unpaid answer captured in docs/providers/payjs.md §3.1 (S-fish, the P3 vector), and its paid counterpart. */
const UNPAID = P3.fields;
const PAID = {
  ...UNPAID,
  status: 1,
  paid_time: '2019-04-30 12:23:40',
  transaction_id: '4200000301201904301234567890',
  openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
};

describe('readAnswer', () => {
  it.each([
    ['not JSON', '<html>502</html>'],
    ['an array', '[1,2]'],
    ['a nested object', '{"return_code":1,"data":{"a":1}}'],
    ['a JSON string', '"ok"'],
  ])('a body that is %s is unreadable', (_what, text) => {
    expect(readAnswer(text, KEY)).toMatchObject({ readable: false });
  });
  it('tells valid, invalid and missing signatures apart, over \\u-escaped JSON as PHP writes it', () => {
    const body = { return_code: 0, return_msg: '订单不存在' };
    const escaped = JSON.stringify({ ...body, sign: payjsSign(body, KEY) }).replace(
      '订单不存在',
      '\\u8ba2\\u5355\\u4e0d\\u5b58\\u5728',
    );
    expect(readAnswer(escaped, KEY)).toMatchObject({
      readable: true,
      signature: 'valid',
      body: { return_msg: '订单不存在' },
    });
    expect(badlySigned(body)).toMatchObject({ signature: 'invalid' });
    expect(unsigned(body)).toMatchObject({ signature: 'missing' });
  });
});

describe('mapCheck', () => {
  it.each<[string, PayjsAnswer, Record<string, unknown>]>([
    [
      'status 1 → paid, with amount and Beijing paid time',
      signed(PAID),
      {
        status: 'paid',
        providerCode: 'status=1',
        amount: 21,
        providerOrderId: ID,
        paidAt: '2019-04-30T12:23:40+08:00',
      },
    ],
    [
      'status and total_fee as strings',
      signed({ ...PAID, status: '1', total_fee: '21' }),
      { status: 'paid', amount: 21 },
    ],
    ['real unpaid answer → unpaid', signed(UNPAID), { status: 'unpaid', providerCode: 'status=0', amount: 21 }],
    [
      'unpaid with the 0-keeping signature variant',
      readAnswer(JSON.stringify({ ...UNPAID, sign: payjsSign(UNPAID, KEY, true) }), KEY),
      { status: 'unpaid' },
    ],
    [
      'status 0 with a transaction id (refunded/reversed?) → unknown',
      signed({ ...PAID, status: 0 }),
      { status: 'unknown', providerCode: 'status=0+paid_facts' },
    ],
    [
      'status 0 with a paid time only → unknown',
      signed({ ...UNPAID, paid_time: '2019-04-30 12:23:40' }),
      { status: 'unknown' },
    ],
    [
      'undocumented status 2 → unknown',
      signed({ ...PAID, status: 2 }),
      { status: 'unknown', providerCode: 'status=2' },
    ],
    ['status missing → unknown', signed({ ...PAID, status: '' }), { status: 'unknown' }],
    ['paid but signature invalid → unknown', badlySigned(PAID), { status: 'unknown', providerCode: 'sign' }],
    ['paid but unsigned → unknown', unsigned(PAID), { status: 'unknown', providerCode: 'sign' }],
    [
      'another payjs_order_id → unknown',
      signed({ ...PAID, payjs_order_id: '2019043012232600733973652' }),
      { status: 'unknown' },
    ],
    ['another mchid → unknown', signed({ ...PAID, mchid: '1528140052' }), { status: 'unknown' }],
    ['another out_trade_no → unknown', signed({ ...PAID, out_trade_no: '2333' }), { status: 'unknown' }],
    [
      'return_code 0 (order not found) → unknown',
      signed({ return_code: 0, return_msg: '订单不存在' }),
      { status: 'unknown', providerCode: 'return_code=0' },
    ],
    [
      'return_code 0 with msg (busy) → unknown',
      signed({ return_code: 0, return_msg: 'FAIL', msg: '系统繁忙，请稍后再试' }),
      { status: 'unknown', reason: expect.stringContaining('繁忙') },
    ],
    ['return_code 0 unsigned → unknown', unsigned({ return_code: 0, return_msg: '订单不存在' }), { status: 'unknown' }],
    [
      'undocumented return_code 2 → unknown',
      signed({ ...PAID, return_code: 2 }),
      { status: 'unknown', providerCode: 'return_code=2' },
    ],
    [
      'return_code not a number → unknown',
      signed({ ...PAID, return_code: 'x' }),
      { status: 'unknown', providerCode: 'unparseable' },
    ],
    [
      'unreadable body → unknown',
      { readable: false, why: 'HTTP 403' },
      { status: 'unknown', providerCode: 'unreadable' },
    ],
  ])('%s', (_row, answer, observation) => {
    expect(mapCheck(answer, expected)).toEqual(expect.objectContaining(observation));
  });

  it('never reads a paid status out of an answer it cannot trust', () => {
    for (const answer of [badlySigned(PAID), unsigned(PAID), signed({ ...PAID, out_trade_no: 'x' })])
      expect(mapCheck(answer, expected).status).not.toBe('paid');
  });

  it.each([
    ['签名错误', signed],
    ['签名错误', unsigned],
    ['签名错误', badlySigned],
    ['商户号错误', unsigned],
    ['参数错误：缺少payjs_order_id', signed],
  ])('"%s" blames our request: request_rejected (non-retryable)', (message, how) => {
    expect(() => mapCheck(how({ return_code: 0, return_msg: message }), expected)).toThrow(
      expect.objectContaining({ type: 'request_rejected', retryable: false }),
    );
  });

  it('reads PAYJS times as Beijing time and leaves other formats out', () => {
    expect(payjsTimeToIso('2024-01-01 12:00:05')).toBe('2024-01-01T12:00:05+08:00');
    expect(payjsTimeToIso('0')).toBeUndefined();
    expect(payjsTimeToIso('1714450000')).toBeUndefined();
  });
});

describe.each(['close', 'reverse'] as const)('mapCancel(%s)', (call) => {
  const ok = { return_code: 1, return_msg: 'SUCCESS', payjs_order_id: ID };
  it.each<[string, PayjsAnswer, Record<string, unknown>]>([
    ['return_code 1 signed → done', signed(ok), { result: 'done', providerCode: 'return_code=1' }],
    ['return_code 1 as a string → done', signed({ ...ok, return_code: '1' }), { result: 'done' }],
    [
      'return_code 0 signed → rejected with the message',
      signed({ return_code: 0, return_msg: '订单已超过7天，无法撤销' }),
      { result: 'rejected', providerCode: 'return_code=0', message: '订单已超过7天，无法撤销' },
    ],
    [
      'return_code 0 unsigned → rejected (a no moves no money)',
      unsigned({ return_code: 0, return_msg: '订单已支付，无法关闭' }),
      { result: 'rejected' },
    ],
  ])('%s', (_row, answer, result) => {
    expect(mapCancel(call, answer, expected)).toEqual(expect.objectContaining(result));
  });

  it.each<[string, PayjsAnswer, string]>([
    ['success with a bad signature', badlySigned(ok), 'untrusted_response'],
    ['success unsigned', unsigned(ok), 'untrusted_response'],
    [
      'success about another order',
      signed({ ...ok, payjs_order_id: '2019043012232600733973652' }),
      'untrusted_response',
    ],
    [
      'refusal with a bad signature',
      badlySigned({ return_code: 0, return_msg: '订单已支付，无法关闭' }),
      'untrusted_response',
    ],
    ['undocumented return_code 2', signed({ ...ok, return_code: 2 }), 'untrusted_response'],
    ['return_code not a number', signed({ ...ok, return_code: 'x' }), 'untrusted_response'],
    ['unreadable body', { readable: false, why: 'body is not JSON' }, 'untrusted_response'],
    ['our signature refused', signed({ return_code: 0, return_msg: '签名错误' }), 'request_rejected'],
    [
      'our merchant number refused (unsigned)',
      unsigned({ return_code: 0, return_msg: '商户号错误' }),
      'request_rejected',
    ],
    ['busy, try later', signed({ return_code: 0, return_msg: '系统繁忙，请稍后再试' }), 'in_progress'],
  ])('%s → throws %s', (_row, answer, type) => {
    expect(() => mapCancel(call, answer, expected)).toThrow(expect.objectContaining({ type }));
  });

  it('a busy answer asks Temporal to retry after a delay', () => {
    expect(() => mapCancel(call, signed({ return_code: 0, return_msg: '系统繁忙，请稍后再试' }), expected)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ retryAfterMs: PAYJS_TRY_LATER_MS }) }),
    );
  });
});

describe('mapRefund', () => {
  const ids = { payjs_order_id: ID, out_trade_no: '2332', transaction_id: '4200000301201904301234567890' };
  it.each<[string, PayjsAnswer, Record<string, unknown>]>([
    [
      'return_code 1 signed → succeeded',
      signed({ return_code: 1, return_msg: 'SUCCESS', ...ids }),
      { result: 'succeeded', providerCode: 'return_code=1' },
    ],
    [
      'refund "1" with return_code 0 → already',
      signed({ return_code: 0, return_msg: '订单已退款', ...ids, refund: '1' }),
      { result: 'already', providerCode: 'refund=1' },
    ],
    [
      'refund "1" with return_code 1 → already',
      signed({ return_code: 1, return_msg: 'SUCCESS', ...ids, refund: '1' }),
      { result: 'already' },
    ],
    [
      'refund "0" with return_code 1 → succeeded',
      signed({ return_code: 1, ...ids, refund: '0' }),
      { result: 'succeeded' },
    ],
    [
      'balance too low → rejected',
      signed({ return_code: 0, return_msg: '未结算金额不足，无法退款' }),
      { result: 'rejected', message: '未结算金额不足，无法退款' },
    ],
    ['not paid → rejected', signed({ return_code: 0, return_msg: '订单未支付，无法退款' }), { result: 'rejected' }],
    [
      'unsigned refusal → rejected',
      unsigned({ return_code: 0, return_msg: '订单未支付，无法退款' }),
      { result: 'rejected' },
    ],
  ])('%s', (_row, answer, result) => {
    expect(mapRefund(answer, expected)).toEqual(expect.objectContaining(result));
  });

  it.each<[string, PayjsAnswer, string]>([
    ['success with a bad signature', badlySigned({ return_code: 1, ...ids }), 'untrusted_response'],
    ['success unsigned', unsigned({ return_code: 1, ...ids }), 'untrusted_response'],
    ['"already refunded" unsigned', unsigned({ return_code: 0, ...ids, refund: '1' }), 'untrusted_response'],
    [
      '"already refunded" with a bad signature',
      badlySigned({ return_code: 0, ...ids, refund: '1' }),
      'untrusted_response',
    ],
    [
      'success about another order',
      signed({ return_code: 1, ...ids, payjs_order_id: '2019043012232600733973652' }),
      'untrusted_response',
    ],
    ['refusal with a bad signature', badlySigned({ return_code: 0, return_msg: '订单未支付' }), 'untrusted_response'],
    ['undocumented return_code 2', signed({ return_code: 2, ...ids }), 'untrusted_response'],
    ['unreadable body', { readable: false, why: 'HTTP 404' }, 'untrusted_response'],
    ['our signature refused', unsigned({ return_code: 0, return_msg: '签名错误' }), 'request_rejected'],
    ['busy, try later', signed({ return_code: 0, return_msg: '订单处理中，请稍后重试' }), 'in_progress'],
  ])('%s → throws %s', (_row, answer, type) => {
    expect(() => mapRefund(answer, expected)).toThrow(expect.objectContaining({ type }));
  });
});
