/**
 * Every row of the QFPay mapper: each documented respcd as a payment row, as an answer to
 * reversal/close and as an answer to refund; the cancel flag; refund rows; answers that are not
 * about our order; unverified and unreadable answers; unknown codes never read as success.
 */
import type { QfpayAnswer } from '../../../../activities/providers/qfpay/client.js';
import { RESPCD } from '../../../../activities/providers/qfpay/codes.js';
import {
  mapCancel,
  mapRefund,
  observeOrder,
  observeRefund,
  QFPAY_IN_PROGRESS_RETRY_MS,
  readQuery,
  refundFromExisting,
} from '../../../../activities/providers/qfpay/mapper.js';
import type { QfpayRow } from '../../../../activities/providers/qfpay/wire.js';

const valid = (json: object): QfpayAnswer => ({ readable: true, json, signature: 'valid' });
const EXPECTED = { orderId: 'O1', syssn: 'S1', amount: 100 };
const row = (respcd: string, cancel = '0', extra: Partial<Record<keyof QfpayRow, unknown>> = {}) => ({
  syssn: 'S1',
  out_trade_no: 'O1',
  order_type: 'payment',
  pay_type: '800208',
  txamt: '100',
  paydtm: '',
  respcd,
  cancel,
  ...extra,
});
const refundRow = (respcd: string, txamt = '40', extra: Record<string, unknown> = {}) => ({
  syssn: 'R1',
  out_trade_no: 'O1-RF1',
  origssn: 'S1',
  order_type: 'refund',
  txamt,
  respcd,
  ...extra,
});
/** Rows as the mapper receives them after reading a verified query answer. */
const rowsOf = (rows: object[]): QfpayRow[] => {
  const read = readQuery('query', valid({ respcd: '0000', resperr: '', respmsg: '', data: rows }));
  if (!read.ok) throw new Error(read.observation.reason);
  return read.rows;
};
const observe = (
  rows: object[],
  by: 'syssn' | 'out_trade_no' = 'syssn',
  expected: { orderId: string; syssn?: string; amount?: number } = EXPECTED,
) => observeOrder(rowsOf(rows), expected, by);

/**
 * For each documented code: the payment-row observation, the reversal/close result and the
 * refund result ("!type" = thrown with that failure type; "dup" = look the refund key up).
 */
const TABLE: Record<string, [query: string, cancel: string, refund: string]> = {
  '0000': ['paid', 'done', 'succeeded'],
  '1143': ['paying', '!in_progress', '!in_progress'],
  '1145': ['paying', '!in_progress', '!in_progress'],
  '1298': ['paying', '!in_progress', '!in_progress'],
  '2999': ['paying', '!in_progress', '!in_progress'],
  '1161': ['paying', '!in_progress', '!in_progress'],
  '1260': ['paid', 'rejected', 'rejected'],
  '1261': ['unpaid', 'rejected', 'rejected'],
  '1262': ['refunded', 'rejected', 'already'],
  '1125': ['refunded', 'rejected', 'already'],
  '1263': ['closed:reversed', 'already', 'rejected'],
  '1264': ['closed:closed', 'already', 'rejected'],
  '1142': ['closed:closed', 'already', 'rejected'],
  '1181': ['closed:expired', 'already', 'rejected'],
  '1136': ['unknown', 'rejected', 'rejected'],
  '1268': ['unknown', 'rejected', 'rejected'],
  '1266': ['unknown', '!request_rejected', '!request_rejected'],
  '1267': ['unknown', '!request_rejected', '!request_rejected'],
  '1150': ['unknown', 'rejected', 'rejected'],
  '1155': ['unknown', 'rejected', 'rejected'],
  '1265': ['unknown', 'rejected', 'rejected'],
  '1269': ['unknown', 'rejected', 'rejected'],
  '1270': ['unknown', 'rejected', 'rejected'],
  '1271': ['unknown', 'rejected', 'rejected'],
  '1272': ['unknown', 'rejected', 'rejected'],
  '1101': ['unknown', 'rejected', 'rejected'],
  '1102': ['unknown', 'rejected', 'dup'],
  '2011': ['unknown', 'rejected', 'dup'],
  '1103': ['unknown', '!request_rejected', '!request_rejected'],
  '1104': ['unknown', '!request_rejected', '!request_rejected'],
  '1108': ['unknown', '!request_rejected', '!request_rejected'],
  '1105': ['unknown', '!request_rejected', '!request_rejected'],
  '1106': ['unknown', '!request_rejected', '!request_rejected'],
  '1107': ['unknown', '!request_rejected', '!request_rejected'],
  '1241': ['unknown', '!request_rejected', '!request_rejected'],
  '1242': ['unknown', '!request_rejected', '!request_rejected'],
  '1243': ['unknown', '!request_rejected', '!request_rejected'],
  '1251': ['unknown', '!request_rejected', '!request_rejected'],
  '1147': ['closed:failed', 'rejected', 'rejected'],
  '1201': ['closed:failed', 'rejected', 'rejected'],
  '1202': ['closed:failed', 'rejected', 'rejected'],
  '2005': ['closed:failed', 'rejected', 'rejected'],
  '1203': ['closed:failed', 'rejected', 'rejected'],
  '1204': ['closed:failed', 'rejected', 'rejected'],
  '1205': ['closed:failed', 'rejected', 'rejected'],
  '1212': ['closed:failed', 'rejected', 'rejected'],
  // "The banking system is busy. Please try again later": a payment that met it failed; a write is tried again.
  '1297': ['closed:failed', '!transient', '!transient'],
  '1294': ['closed:failed', 'rejected', 'rejected'],
  '1250': ['closed:failed', 'rejected', 'rejected'],
  '1100': ['unknown', '!transient', '!transient'],
  '1252': ['unknown', '!transient', '!transient'],
  '1254': ['unknown', '!transient', '!transient'],
  '1295': ['unknown', '!transient', '!transient'],
  '1296': ['unknown', '!transient', '!transient'],
};
/** Codes QFPay does not document (or old appendix codes the reference does not list). */
const UNKNOWN_CODES = ['9999', '0001', '1109', '2004', '000', '00000'];

it('the table covers exactly the documented respcd codes', () => {
  expect(Object.keys(TABLE).sort()).toEqual(Object.keys(RESPCD).sort());
});

describe('a payment row', () => {
  it.each(Object.entries(TABLE).map(([code, [q]]) => [code, q]))('respcd %s reads as %s', (code, want) => {
    const [status, reason] = want.split(':');
    const obs = observe([row(code)]);
    expect(obs).toMatchObject({ status, providerCode: expect.stringContaining(`respcd=${code}`) });
    if (reason) expect(obs).toMatchObject({ reason });
  });

  it.each(UNKNOWN_CODES)('unrecognised respcd %s is unknown', (code) => {
    expect(observe([row(code)])).toMatchObject({ status: 'unknown', reason: expect.stringContaining('unrecognised') });
  });

  it.each([
    ['0', { status: 'paid', providerCode: 'respcd=0000,cancel=0' }],
    ['1', { status: 'refunded', refundedAmount: 0, full: false, providerCode: 'respcd=0000,cancel=1,no refund rows' }],
    ['2', { status: 'refunded', refundedAmount: 0, full: false }],
    ['3', { status: 'refunded', refundedAmount: 0, full: false }],
    ['5', { status: 'refunded', refundedAmount: 0, full: false }],
    ['4', { status: 'unknown' }],
    ['9', { status: 'unknown' }],
  ])('0000 with cancel %s and no refund rows: money is only counted from rows', (cancel, want) => {
    expect(observe([row('0000', cancel)])).toMatchObject(want);
  });

  it.each([
    ['1', { status: 'closed', reason: 'reversed' }],
    ['2', { status: 'closed', reason: 'closed' }],
    ['3', { status: 'unknown' }],
  ])('in progress with cancel %s', (cancel, want) => {
    expect(observe([row('1143', cancel)])).toMatchObject(want);
  });

  it('1262 with cancel 0 is never read as paid', () => {
    expect(observe([row('1262', '0')])).toMatchObject({ status: 'refunded', refundedAmount: 0, full: false });
  });

  it('carries the payment facts: syssn, amount (string or number), pay type, Hong Kong paid time', () => {
    expect(observe([row('0000', '0', { txamt: 100, paydtm: '2020-03-05 16:54:38' })])).toEqual({
      status: 'paid',
      providerCode: 'respcd=0000,cancel=0',
      providerOrderId: 'S1',
      amount: 100,
      payType: '800208',
      paidAt: '2020-03-05T16:54:38+08:00',
    });
  });

  it('a missing cancel flag reads as 0', () => {
    expect(observe([row('0000', '0', { cancel: undefined })])).toMatchObject({ status: 'paid' });
  });
});

describe('refund rows (order_type refund, origssn = the payment)', () => {
  it.each([
    [[refundRow('0000', '40')], { status: 'refunded', refundedAmount: 40, full: false }],
    [
      [refundRow('0000', '40'), refundRow('0000', '60', { syssn: 'R2', out_trade_no: 'O1-RF2' })],
      { status: 'refunded', refundedAmount: 100, full: true },
    ],
    [[refundRow('0000', '40'), refundRow('1145', '60', { syssn: 'R2' })], { status: 'refunding', refundedAmount: 40 }],
    // An unrecognised refund code is never counted as money back: still in progress.
    [[refundRow('7777', '100')], { status: 'refunding', refundedAmount: 0 }],
    // Failed refunds moved nothing.
    [[refundRow('1205', '100')], { status: 'paid' }],
    // A refund of another payment is not ours.
    [[refundRow('0000', '100', { origssn: 'S9' })], { status: 'paid' }],
    [[refundRow('0000', '100', { txamt: undefined })], { status: 'unknown' }],
  ])('%j', (refunds, want) => {
    expect(observe([row('0000', '0'), ...refunds])).toMatchObject(want);
  });

  it('rows give the amount even when the flag says "refunded" (3) or "partly" (5)', () => {
    expect(observe([row('0000', '5'), refundRow('0000', '40')])).toMatchObject({
      status: 'refunded',
      refundedAmount: 40,
      full: false,
      providerCode: 'respcd=0000,cancel=5',
    });
    expect(observe([row('0000', '3'), refundRow('0000', '100')])).toMatchObject({
      status: 'refunded',
      refundedAmount: 100,
      full: true,
    });
  });

  it('a row without order_type is a refund when it names an origssn', () => {
    const payment = { ...row('0000'), order_type: undefined };
    const refund = { ...refundRow('0000', '100'), order_type: undefined };
    expect(observe([payment, refund])).toMatchObject({ status: 'refunded', refundedAmount: 100, full: true });
  });
});

describe('which row is ours', () => {
  it('no payment row answers: undefined (the adapter asks by the other id, then says not_found)', () => {
    expect(observe([])).toBeUndefined();
    expect(observe([refundRow('0000')])).toBeUndefined();
    expect(observe([row('0000', '0', { order_type: 'close' })])).toBeUndefined();
    expect(observe([row('0000', '0', { syssn: 'S2' })])).toBeUndefined();
  });

  it('a syssn that belongs to another out_trade_no, or an out_trade_no with another syssn, is unknown', () => {
    expect(observe([row('0000', '0', { out_trade_no: 'OTHER' })])).toMatchObject({
      status: 'unknown',
      providerCode: 'other_order',
      reason: expect.stringContaining('OTHER'),
    });
    expect(observe([row('0000', '0', { syssn: 'S2' })], 'out_trade_no')).toMatchObject({
      status: 'unknown',
      providerCode: 'other_order',
    });
    expect(observe([row('0000', '0', { syssn: 'S2' })], 'out_trade_no', { orderId: 'O1' })).toMatchObject({
      status: 'paid',
      providerOrderId: 'S2',
    });
  });

  it('two payments for one id are unknown', () => {
    expect(observe([row('0000'), row('1143')])).toMatchObject({ status: 'unknown', providerCode: 'ambiguous' });
  });
});

describe('reading a query answer', () => {
  it.each([
    [{ readable: false, why: 'HTTP 404' }, 'unreadable'],
    [{ readable: true, json: { data: [] }, signature: 'valid' }, 'unparseable'],
    [{ readable: true, json: { respcd: '0000', data: [] }, signature: 'invalid' }, 'signature_invalid'],
    [{ readable: true, json: { respcd: '0000', data: [] }, signature: 'missing' }, 'signature_missing'],
    [valid({ respcd: '0000' }), 'unparseable'],
    [valid({ respcd: '0000', data: [{ syssn: 'S1', respcd: '0000', txamt: '1.5' }] }), 'unparseable'],
    [valid({ respcd: '1145' }), 'respcd=1145'],
    [valid({ respcd: '9999' }), 'respcd=9999'],
  ] as [QfpayAnswer, string][])('%j is an unknown observation (%s)', (answer, providerCode) => {
    expect(readQuery('query', answer)).toEqual({
      ok: false,
      observation: expect.objectContaining({ status: 'unknown', providerCode }),
    });
  });

  it('not found (1136/1268) is no rows', () => {
    expect(readQuery('query', valid({ respcd: '1136', resperr: '交易不存在' }))).toEqual({ ok: true, rows: [] });
    expect(readQuery('query', valid({ respcd: '1268' }))).toEqual({ ok: true, rows: [] });
  });

  it.each(['1100', '1252', '1254', '1295', '1296'])('outer %s is thrown as transient', (respcd) => {
    expect(() => readQuery('query', valid({ respcd }))).toThrow(
      expect.objectContaining({ type: 'transient', details: expect.objectContaining({ providerCode: respcd }) }),
    );
  });

  it.each(['1103', '1104', '1108', '1105', '1241'])('outer %s is our mistake, believed even unverified', (respcd) => {
    expect(() => readQuery('query', valid({ respcd }))).toThrow(expect.objectContaining({ type: 'request_rejected' }));
    expect(() => readQuery('query', { readable: true, json: { respcd }, signature: 'invalid' })).toThrow(
      expect.objectContaining({ type: 'request_rejected', message: expect.stringContaining('not verifiable') }),
    );
  });

  it('numbers where strings were documented are read (gotcha G9)', () => {
    expect(
      readQuery('query', valid({ respcd: '0000', page: 1, page_size: 10, data: [row('0000', '0', { txamt: 2500 })] })),
    ).toMatchObject({ ok: true, rows: [{ txamt: 2500 }] });
  });
});

describe('reversal / close answers', () => {
  const answerFor = (respcd: string, extra: object = {}) =>
    valid({
      respcd,
      resperr: 'x',
      respmsg: '',
      ...(respcd === '0000' ? { syssn: 'N1', orig_syssn: 'S1', txamt: '100' } : {}),
      ...extra,
    });

  it.each(Object.entries(TABLE).map(([code, [, c]]) => [code, c]))('respcd %s → %s', (code, want) => {
    for (const call of ['reverse', 'close'] as const) {
      if (want.startsWith('!')) {
        expect(() => mapCancel(call, answerFor(code), EXPECTED)).toThrow(
          expect.objectContaining({ type: want.slice(1) }),
        );
      } else {
        expect(mapCancel(call, answerFor(code), EXPECTED)).toMatchObject({
          result: want,
          providerCode: `respcd=${code}`,
        });
      }
    }
  });

  it('in progress carries the retry delay and the code', () => {
    expect(() => mapCancel('reverse', answerFor('1145'), EXPECTED)).toThrow(
      expect.objectContaining({
        type: 'in_progress',
        details: expect.objectContaining({ providerCode: 'respcd=1145', retryAfterMs: QFPAY_IN_PROGRESS_RETRY_MS }),
      }),
    );
  });

  it.each(UNKNOWN_CODES)('unrecognised %s is rejected, never done', (code) => {
    expect(mapCancel('close', answerFor(code), EXPECTED)).toMatchObject({
      result: 'rejected',
      providerCode: `respcd=${code}`,
      message: 'x',
    });
  });

  it('1297 is "banking system busy, try again later" (the status-code page): retried, never read as "not supported"', () => {
    for (const call of ['close', 'reverse'] as const) {
      expect(() => mapCancel(call, answerFor('1297'), EXPECTED)).toThrow(
        expect.objectContaining({ type: 'transient', message: expect.stringContaining('respcd 1297') }),
      );
    }
  });

  it('1150 (cannot cancel, what the sandbox answers for a Hong Kong pay type) is a "no"', () => {
    expect(mapCancel('reverse', answerFor('1150'), EXPECTED)).toMatchObject({
      result: 'rejected',
      providerCode: 'respcd=1150',
    });
  });

  it('a 0000 without syssn means "not supported for this order"', () => {
    expect(mapCancel('reverse', valid({ respcd: '0000', orig_syssn: 'S1' }), EXPECTED)).toMatchObject({
      result: 'rejected',
      providerCode: 'respcd=0000,no syssn',
    });
    expect(mapCancel('reverse', valid({ respcd: '0000', syssn: '' }), EXPECTED)).toMatchObject({
      result: 'rejected',
      providerCode: 'respcd=0000,no syssn',
    });
  });

  it('a success about another order is not trusted', () => {
    expect(() => mapCancel('reverse', answerFor('0000', { orig_syssn: 'S9' }), EXPECTED)).toThrow(
      expect.objectContaining({ type: 'untrusted_response' }),
    );
    expect(() => mapCancel('reverse', answerFor('0000', { out_trade_no: 'O9' }), EXPECTED)).toThrow(
      expect.objectContaining({ type: 'untrusted_response' }),
    );
    expect(() => mapCancel('reverse', answerFor('0000', { txamt: 99 }), EXPECTED)).toThrow(
      expect.objectContaining({ type: 'untrusted_response' }),
    );
    // Sent by out_trade_no only: orig_syssn cannot be checked, out_trade_no can.
    expect(
      mapCancel('close', answerFor('0000', { orig_syssn: 'S9', out_trade_no: 'O1' }), { orderId: 'O1', amount: 100 }),
    ).toMatchObject({ result: 'done' });
  });

  it.each([
    [{ readable: false, why: 'body is not JSON' }],
    [{ readable: true, json: { resperr: 'no code' }, signature: 'valid' }],
    [{ readable: true, json: { respcd: '0000', syssn: 'N1' }, signature: 'invalid' }],
    [{ readable: true, json: { respcd: '0000', syssn: 'N1' }, signature: 'missing' }],
    [{ readable: true, json: { respcd: '1263' }, signature: 'invalid' }],
    [{ readable: true, json: { respcd: '1145' }, signature: 'missing' }],
  ] as [QfpayAnswer][])('%j is thrown as untrusted', (answer) => {
    expect(() => mapCancel('reverse', answer, EXPECTED)).toThrow(
      expect.objectContaining({ type: 'untrusted_response' }),
    );
  });

  it('an unverified 1108 is still our mistake (a wrong client key cannot verify anything)', () => {
    expect(() =>
      mapCancel(
        'close',
        { readable: true, json: { respcd: '1108', resperr: '签名错误' }, signature: 'invalid' },
        EXPECTED,
      ),
    ).toThrow(
      expect.objectContaining({ type: 'request_rejected', message: expect.stringContaining('QFPAY_CLIENT_KEY') }),
    );
  });
});

describe('refund answers', () => {
  const want = { syssn: 'S1', refundKey: 'O1-RF1', amount: 100 };
  const answerFor = (respcd: string, extra: object = {}) =>
    valid({
      respcd,
      resperr: 'x',
      respmsg: '',
      ...(respcd === '0000' ? { syssn: 'R1', orig_syssn: 'S1', out_trade_no: 'O1-RF1', txamt: '100' } : {}),
      ...extra,
    });

  it.each(Object.entries(TABLE).map(([code, [, , r]]) => [code, r]))('respcd %s → %s', (code, expected) => {
    if (expected.startsWith('!')) {
      expect(() => mapRefund(answerFor(code), want)).toThrow(expect.objectContaining({ type: expected.slice(1) }));
    } else if (expected === 'dup') {
      expect(mapRefund(answerFor(code), want)).toEqual({ kind: 'duplicate', providerCode: `respcd=${code}` });
    } else {
      expect(mapRefund(answerFor(code), want)).toMatchObject({
        kind: 'result',
        result: { result: expected, providerCode: `respcd=${code}` },
      });
    }
  });

  it('success names the refund syssn', () => {
    expect(mapRefund(answerFor('0000'), want)).toEqual({
      kind: 'result',
      result: { result: 'succeeded', providerCode: 'respcd=0000', refundId: 'R1', message: 'x' },
    });
  });

  it.each(UNKNOWN_CODES)('unrecognised %s is rejected, never succeeded', (code) => {
    expect(mapRefund(answerFor(code), want)).toMatchObject({ kind: 'result', result: { result: 'rejected' } });
  });

  it('a success about another payment, refund key or amount is not trusted', () => {
    for (const extra of [{ orig_syssn: 'S9' }, { out_trade_no: 'O1-RF9' }, { txamt: '50' }]) {
      expect(() => mapRefund(answerFor('0000', extra), want)).toThrow(
        expect.objectContaining({ type: 'untrusted_response' }),
      );
    }
  });

  it('unverified answers are thrown as untrusted (the retry reuses the refund key)', () => {
    expect(() =>
      mapRefund({ readable: true, json: { respcd: '0000', syssn: 'R1' }, signature: 'invalid' }, want),
    ).toThrow(expect.objectContaining({ type: 'untrusted_response' }));
    expect(() => mapRefund({ readable: true, json: { respcd: '1102' }, signature: 'missing' }, want)).toThrow(
      expect.objectContaining({ type: 'untrusted_response' }),
    );
  });
});

describe('refund lookup by the refund key', () => {
  const expected = { refundKey: 'O1-RF1', syssn: 'S1' };
  it.each([
    ['0000', 'succeeded'],
    ['1143', 'processing'],
    ['1145', 'processing'],
    ['2999', 'processing'],
    ['1252', 'processing'],
    ['7777', 'processing'],
    ['1205', 'failed'],
    ['1272', 'failed'],
    ['1155', 'failed'],
  ])('refund row %s → %s', (respcd, status) => {
    expect(observeRefund('queryRefund', rowsOf([refundRow(respcd, '100')]), expected)).toEqual({
      status,
      providerCode: `respcd=${respcd}`,
      refundId: 'R1',
      amount: 100,
    });
  });

  it('no row → not_found; without a known syssn the origssn is not checked', () => {
    expect(observeRefund('queryRefund', [], expected)).toEqual({ status: 'not_found', providerCode: 'no rows' });
    expect(
      observeRefund('queryRefund', rowsOf([refundRow('0000', '100', { origssn: 'S9' })]), { refundKey: 'O1-RF1' }),
    ).toMatchObject({ status: 'succeeded' });
  });

  it('a key that names a payment, or a refund of another payment, is our mistake; two rows are not trusted', () => {
    expect(() =>
      observeRefund('queryRefund', rowsOf([row('0000', '0', { out_trade_no: 'O1-RF1' })]), expected),
    ).toThrow(expect.objectContaining({ type: 'request_rejected' }));
    expect(() => observeRefund('queryRefund', rowsOf([refundRow('0000', '100', { origssn: 'S9' })]), expected)).toThrow(
      expect.objectContaining({ type: 'request_rejected' }),
    );
    expect(() =>
      observeRefund('queryRefund', rowsOf([refundRow('0000'), refundRow('0000', '40', { syssn: 'R2' })]), expected),
    ).toThrow(expect.objectContaining({ type: 'untrusted_response' }));
  });
});

describe('a duplicate refund key: the refund it names decides', () => {
  const request = { refundKey: 'O1-RF1', amount: 100, totalAmount: 100 };
  it.each([
    [
      { status: 'succeeded', providerCode: 'respcd=0000', refundId: 'R1', amount: 100 },
      { result: 'already', refundId: 'R1', providerCode: 'respcd=1102,existing respcd=0000' },
    ],
    [
      { status: 'processing', providerCode: 'respcd=1145', refundId: 'R1', amount: 100 },
      { result: 'accepted', refundId: 'R1' },
    ],
    [{ status: 'failed', providerCode: 'respcd=1205', refundId: 'R1', amount: 100 }, { result: 'rejected' }],
    [
      { status: 'succeeded', providerCode: 'respcd=0000', refundId: 'R1', amount: 40 },
      { result: 'rejected', message: expect.stringContaining('used for 40') },
    ],
  ] as const)('%j → %j', (existing, want) => {
    expect(refundFromExisting({ ...existing }, request, 'respcd=1102')).toMatchObject(want);
  });

  it('none visible yet: thrown as transient (retry with the same key)', () => {
    expect(() => refundFromExisting({ status: 'not_found', providerCode: 'no rows' }, request, 'respcd=1102')).toThrow(
      expect.objectContaining({ type: 'transient' }),
    );
  });
});
