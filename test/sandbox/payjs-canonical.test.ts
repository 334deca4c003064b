/**
 * The PAYJS simulator signs its answers with the canonicalisation its `answerCanonicalisation` setting names
 * (docs/providers/payjs.md §2.5): the PHP SDK's raw values by default, or the docs' Python demo's (every field,
 * spaces as `+`). A paid check answer carries a space in paid_time, so the two give different digests.
 *
 * The simulator's Python-demo signer is checked against digests computed with python3 from the command line:
 *   python3 -c "import hashlib; print(hashlib.md5('<string>'.encode('utf-8')).hexdigest().upper())"
 * with <string> as written beside each, which is what the demo's own
 *   unquote(urlencode({k: v[k] for k in sorted(v)})) + '&key=' + key
 * prints for that dict `v`.
 */
import { answerSignedAs } from '../../activities/providers/payjs/signer.js';
import { payjsSandboxSettings, resetPayjsSandboxSettings } from '../../sandbox/providers/payjs/index.js';
import { simSign, simSignPythonDemo } from '../../sandbox/providers/payjs/signing.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const VKEY = 'PJkey0123456789ABCDEFabcdef01234';

describe('simSignPythonDemo against python3 vectors', () => {
  it('a paid check answer with a space, Chinese and a literal +', () => {
    // string: attach=会员+充值+1&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&paid_time=2024-01-01+12:00:05&payjs_order_id=2024010112000000123456789&return_code=1&status=1&total_fee=2100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234
    const v = {
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
    expect(simSignPythonDemo(v, VKEY)).toBe('DB0B65FAA81ADE4DA9C14CAC2413375C');
    // The same fields with raw values (PHP SDK); string as above with ' ' for each '+' that was a space.
    expect(simSign(v, VKEY)).toBe('C856F8910BA0883B4421833DFCD12A85');
  });

  it('a refusal with a space, a 0 and an empty field, all kept', () => {
    // string: msg=&payjs_order_id=2024010112000000123456789&return_code=0&return_msg=订单+不存在&key=PJkey0123456789ABCDEFabcdef01234
    const v = { return_code: 0, return_msg: '订单 不存在', msg: '', payjs_order_id: '2024010112000000123456789' };
    expect(simSignPythonDemo(v, VKEY)).toBe('FE2AE917569A16F300F1E7FB8D6D3FD1');
    // string: payjs_order_id=2024010112000000123456789&return_msg=订单 不存在&key=PJkey0123456789ABCDEFabcdef01234
    expect(simSign(v, VKEY)).toBe('C1A5190F0DC1DD521DF028EFCE44A89F');
  });

  it('& = % + in values survive the encode-then-unquote round trip', () => {
    // string: a=x&y=z%+w+v&key=k (v = {'a': 'x&y=z%+w v'})
    expect(simSignPythonDemo({ a: 'x&y=z%+w v' }, 'k')).toBe('61959AACE47772F03AB287BE8CB0E489');
  });
});

describe('the answerCanonicalisation setting', () => {
  let sb: TestSandbox;
  let key: string;
  let mchid: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    ({ key, mchid } = sb.sandbox.ctx.credentials.payjs);
  });
  afterAll(async () => sb.close());
  afterEach(() => resetPayjsSandboxSettings());

  const post = async (path: string, fields: Record<string, string>) => {
    const res = await fetch(`${sb.sandbox.url}/payjs/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, sign: simSign(fields, key) }).toString(),
    });
    return (await res.json()) as Record<string, string | number>;
  };
  const paidCheck = async () => {
    const order = await sb.admin('POST', '/orders', { provider: 'payjs', state: 'paid', amount: 2100 });
    const id = order.providerOrderId as string;
    return post('check', { mchid, payjs_order_id: id });
  };

  it('is shown by the admin API with its default, php-sdk', async () => {
    expect((await sb.admin('GET', '/settings')).payjs).toMatchObject({ answerCanonicalisation: 'php-sdk' });
  });

  it('php-sdk (default): a paid check answer with a space in paid_time is signed over raw values', async () => {
    const answer = await paidCheck();
    expect(answer.paid_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(answer.sign).toBe(simSign(answer, key));
    expect(answer.sign).not.toBe(simSignPythonDemo(answer, key));
    expect(answerSignedAs(answer, key)).toBe('php-sdk');
  });

  it('python-demo: the same answer is signed with spaces as +', async () => {
    payjsSandboxSettings.answerCanonicalisation = 'python-demo';
    const answer = await paidCheck();
    expect(answer.paid_time).toContain(' ');
    expect(answer.sign).toBe(simSignPythonDemo(answer, key));
    expect(answer.sign).not.toBe(simSign(answer, key));
    expect(answerSignedAs(answer, key)).toBe('python-demo');
  });

  it('python-demo: refusals are signed the same way; unsigned refusals stay unsigned', async () => {
    payjsSandboxSettings.answerCanonicalisation = 'python-demo';
    const refusal = await post('check', { mchid, payjs_order_id: '2000010100000000000000000' });
    expect(refusal).toMatchObject({ return_code: 0, return_msg: '订单不存在' });
    expect(refusal.sign).toBe(simSignPythonDemo(refusal, key));
    const foreign = await post('check', { mchid: '1528140052', payjs_order_id: '2000010100000000000000000' });
    expect(foreign).toMatchObject({ return_code: 0, return_msg: '商户号错误' });
    expect(foreign.sign).toBeUndefined();
  });

  it.each(['php-sdk', 'python-demo'] as const)('%s: a tampered answer verifies under neither', async (scheme) => {
    payjsSandboxSettings.answerCanonicalisation = scheme;
    const answer = await paidCheck();
    expect(answerSignedAs(answer, key)).toBe(scheme);
    expect(answerSignedAs({ ...answer, status: 0 }, key)).toBeUndefined();
    expect(answerSignedAs({ ...answer, total_fee: 1 }, key)).toBeUndefined();
  });
});
