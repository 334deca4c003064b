/**
 * PAYJS answers canonicalised either way PAYJS documents (docs/providers/payjs.md §2.5): the PHP SDK's raw
 * values, or the docs' Python demo's `unquote(urlencode(...))` with spaces as `+`. Both verify; a
 * tampered answer verifies under neither and is never read as paid or refunded.
 *
 * The expected digests were computed with python3 from the command line, independently of this code:
 *   python3 -c "import hashlib; print(hashlib.md5('<string>'.encode('utf-8')).hexdigest().upper())"
 * with <string> exactly as written in each `string` below; and each Python-demo string is what
 *   unquote(urlencode({k: v[k] for k in sorted(v)})) + '&key=' + key
 * (the demo's own expression, from urllib.parse) printed for the dict `v` given beside it.
 */
import { createPayjsAdapter } from '../../../../activities/providers/payjs/index.js';
import { readAnswer } from '../../../../activities/providers/payjs/client.js';
import { mapCheck } from '../../../../activities/providers/payjs/mapper.js';
import {
  answerSignedAs,
  payjsSign,
  payjsSignPythonDemo,
  pythonDemoSigningString,
  signingString,
} from '../../../../activities/providers/payjs/signer.js';
import { payjsSandboxSettings, resetPayjsSandboxSettings } from '../../../../sandbox/providers/payjs/index.js';
import { startTestSandbox, type TestSandbox } from '../../../helpers/sandbox.js';

const KEY = 'PJkey0123456789ABCDEFabcdef01234';

/** A paid check answer with a space (paid_time, attach), Chinese and a literal `+` (attach). */
const V1 = {
  return_code: 1,
  mchid: '1528140051',
  out_trade_no: 'ORDER-20240101-0001',
  payjs_order_id: '2024010112000000123456789',
  transaction_id: '4200002000202401011234567890',
  status: 1,
  openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
  total_fee: 2100,
  paid_time: '2024-01-01 12:00:05',
  attach: '会员 充值+1',
};
/** A refusal with a space and Chinese in return_msg, a 0 and an empty field (which only PHP drops). */
const V2 = { return_code: 0, return_msg: '订单 不存在', msg: '', payjs_order_id: '2024010112000000123456789' };

describe('the two canonicalisations, against vectors computed by python3', () => {
  it('V1 under the PHP SDK: raw values', () => {
    // string: attach=会员 充值+1&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&paid_time=2024-01-01 12:00:05&payjs_order_id=2024010112000000123456789&return_code=1&status=1&total_fee=2100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234
    expect(signingString(V1, KEY)).toBe(
      'attach=会员 充值+1&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&paid_time=2024-01-01 12:00:05&payjs_order_id=2024010112000000123456789&return_code=1&status=1&total_fee=2100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSign(V1, KEY)).toBe('C856F8910BA0883B4421833DFCD12A85');
  });

  it('V1 under the Python demo: spaces as +, a literal + and Chinese unchanged', () => {
    // v = V1 (integers as Python ints); string: attach=会员+充值+1&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&paid_time=2024-01-01+12:00:05&payjs_order_id=2024010112000000123456789&return_code=1&status=1&total_fee=2100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234
    expect(pythonDemoSigningString(V1, KEY)).toBe(
      'attach=会员+充值+1&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&paid_time=2024-01-01+12:00:05&payjs_order_id=2024010112000000123456789&return_code=1&status=1&total_fee=2100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSignPythonDemo(V1, KEY)).toBe('DB0B65FAA81ADE4DA9C14CAC2413375C');
  });

  it('V2 under the PHP SDK drops 0 and "", under the Python demo keeps them', () => {
    // string: payjs_order_id=2024010112000000123456789&return_msg=订单 不存在&key=PJkey0123456789ABCDEFabcdef01234
    expect(signingString(V2, KEY)).toBe(
      'payjs_order_id=2024010112000000123456789&return_msg=订单 不存在&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSign(V2, KEY)).toBe('C1A5190F0DC1DD521DF028EFCE44A89F');
    // v = V2; string: msg=&payjs_order_id=2024010112000000123456789&return_code=0&return_msg=订单+不存在&key=PJkey0123456789ABCDEFabcdef01234
    expect(pythonDemoSigningString(V2, KEY)).toBe(
      'msg=&payjs_order_id=2024010112000000123456789&return_code=0&return_msg=订单+不存在&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSignPythonDemo(V2, KEY)).toBe('FE2AE917569A16F300F1E7FB8D6D3FD1');
  });

  it('the exact Python demo over §2.4 P4 keeps the empty type, so it is not P4b', () => {
    // v = P4 with type ''; string: attach=a+b+c+中文&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&payjs_order_id=2024010112000000123456789&return_code=1&time_end=2024-01-01+12:00:05&total_fee=100&transaction_id=4200002000202401011234567890&type=&key=PJkey0123456789ABCDEFabcdef01234
    const P4 = {
      return_code: 1,
      total_fee: 100,
      out_trade_no: 'ORDER-20240101-0001',
      payjs_order_id: '2024010112000000123456789',
      transaction_id: '4200002000202401011234567890',
      time_end: '2024-01-01 12:00:05',
      openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
      mchid: '1528140051',
      attach: 'a b+c 中文',
      type: '',
    };
    expect(payjsSignPythonDemo(P4, KEY)).toBe('8FBD6D813417F505FE170C3DEED3D18D');
    expect(answerSignedAs({ ...P4, sign: '8FBD6D813417F505FE170C3DEED3D18D' }, KEY)).toBe('python-demo');
    // P4b (PHP filtering with spaces as +) is neither documented way.
    expect(answerSignedAs({ ...P4, sign: '2B38ECC110195FE33E6295E56A38F925' }, KEY)).toBeUndefined();
  });

  it('writes None, True and False as Python does', () => {
    const fields = { a: null, b: true, c: false, d: undefined, e: 'x y' };
    expect(pythonDemoSigningString(fields, 'k')).toBe('a=None&b=True&c=False&e=x+y&key=k');
  });
});

describe('answerSignedAs', () => {
  const php = { ...V1, sign: 'C856F8910BA0883B4421833DFCD12A85' };
  const python = { ...V1, sign: 'DB0B65FAA81ADE4DA9C14CAC2413375C' };

  it('names the canonicalisation each answer verifies under', () => {
    expect(answerSignedAs(php, KEY)).toBe('php-sdk');
    expect(answerSignedAs(python, KEY)).toBe('python-demo');
    expect(answerSignedAs({ ...V2, sign: 'C1A5190F0DC1DD521DF028EFCE44A89F' }, KEY)).toBe('php-sdk');
    expect(answerSignedAs({ ...V2, sign: 'FE2AE917569A16F300F1E7FB8D6D3FD1' }, KEY)).toBe('python-demo');
  });

  it.each([
    ['total_fee changed', { total_fee: 1 }],
    ['status changed', { status: 0 }],
    ['payjs_order_id changed', { payjs_order_id: '2024010112000000123456780' }],
    ['a field added', { refund: '1' }],
    ['the Chinese changed', { attach: '会员 充值+2' }],
  ])('refuses a tampered answer (%s) under both', (_what, change) => {
    expect(answerSignedAs({ ...php, ...change }, KEY)).toBeUndefined();
    expect(answerSignedAs({ ...python, ...change }, KEY)).toBeUndefined();
  });

  it('refuses another key, a lower-case sign and no sign under both', () => {
    for (const answer of [php, python]) {
      expect(answerSignedAs(answer, 'another-key')).toBeUndefined();
      expect(answerSignedAs({ ...answer, sign: answer.sign.toLowerCase() }, KEY)).toBeUndefined();
      expect(answerSignedAs({ ...answer, sign: undefined }, KEY)).toBeUndefined();
    }
  });

  it('a space turned into + still verifies only under the Python demo, which cannot tell them apart', () => {
    const plussed = { paid_time: '2024-01-01+12:00:05' };
    expect(answerSignedAs({ ...python, ...plussed }, KEY)).toBe('python-demo');
    expect(answerSignedAs({ ...php, ...plussed }, KEY)).toBeUndefined();
  });
});

describe('readAnswer and mapCheck: a signed answer is trusted either way, a tampered one never', () => {
  const expected = { mchid: V1.mchid, payjsOrderId: V1.payjs_order_id, orderId: V1.out_trade_no };
  const text = (body: Record<string, unknown>) => JSON.stringify(body);

  it.each([
    ['PHP SDK', 'C856F8910BA0883B4421833DFCD12A85'],
    ['Python demo', 'DB0B65FAA81ADE4DA9C14CAC2413375C'],
  ])('%s: valid and paid; with total_fee changed: invalid and unknown', (_scheme, sign) => {
    const answer = readAnswer(text({ ...V1, sign }), KEY);
    expect(answer).toMatchObject({ readable: true, signature: 'valid' });
    const paidAt = '2024-01-01T12:00:05+08:00';
    expect(mapCheck(answer, expected)).toMatchObject({ status: 'paid', amount: 2100, paidAt });

    const tampered = readAnswer(text({ ...V1, total_fee: 1, sign }), KEY);
    expect(tampered).toMatchObject({ readable: true, signature: 'invalid' });
    expect(mapCheck(tampered, expected)).toMatchObject({ status: 'unknown', providerCode: 'sign' });
  });
});

describe('the adapter against the sandbox, under each answerCanonicalisation', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  afterEach(async () => {
    resetPayjsSandboxSettings();
    await sb.admin('DELETE', '/faults');
  });

  // The production request budget (10 s, activities/providers/http.ts): a shorter one can expire on a
  // loaded 2-core machine while this process waits for CPU, failing a call nothing faulted.
  const adapter = () => createPayjsAdapter(sb.config.providers.payjs!);
  const paidOrder = async () => {
    const o = await sb.admin('POST', '/orders', { provider: 'payjs', state: 'paid', amount: 2100 });
    const { merchantId, orderId, providerOrderId } = o;
    return { provider: 'payjs' as const, merchantId, orderId, providerOrderId, amount: 2100 };
  };
  const wholeRefund = (orderId: string) => ({ refundKey: `${orderId}:refund:1`, amount: 2100, totalAmount: 2100 });
  const schemes = ['php-sdk', 'python-demo'] as const;
  const returned = async (orderId: string) => {
    const { orders } = await sb.admin('GET', '/ledger');
    return orders.find((o: { orderId: string }) => o.orderId === orderId).returned as number;
  };

  it.each(schemes)('%s: a paid check (paid_time has a space) reads paid, a refund succeeds', async (scheme) => {
    payjsSandboxSettings.answerCanonicalisation = scheme;
    const order = await paidOrder();
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'paid', providerCode: 'status=1', amount: 2100 });
    expect(await adapter().refundOrder(order, wholeRefund(order.orderId))).toMatchObject({ result: 'succeeded' });
    expect(await returned(order.orderId)).toBe(2100);
  });

  it.each(schemes)('%s: a mis-signed answer is never trusted, until a verified repeat', async (scheme) => {
    payjsSandboxSettings.answerCanonicalisation = scheme;
    const order = await paidOrder();
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'query', kind: 'bad_signature' });
    expect(await adapter().queryOrder(order)).toMatchObject({ status: 'unknown', providerCode: 'sign' });
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'bad_signature' });
    const refund = adapter().refundOrder(order, wholeRefund(order.orderId));
    await expect(refund).rejects.toMatchObject({ type: 'untrusted_response' });
    // The sandbox did refund; only a verified repeat says so, and nothing goes back twice.
    expect(await adapter().refundOrder(order, wholeRefund(order.orderId))).toMatchObject({ result: 'already' });
    expect(await returned(order.orderId)).toBe(2100);
  });
});
