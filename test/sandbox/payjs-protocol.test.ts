/**
 * The PAYJS simulator speaks PAYJS's protocol: its own signing matches the documented vectors,
 * it reads the three body encodings PAYJS's official code sends, signs its answers, and refuses
 * bad requests the way PAYJS does (return_code 0 with a message, HTTP 200).
 */
import { payjsVerify } from '../../activities/providers/payjs/signer.js';
import { parseRequestBody } from '../../sandbox/providers/payjs/body.js';
import { payjsSimulator } from '../../sandbox/providers/payjs/index.js';
import { simSign, simVerify } from '../../sandbox/providers/payjs/signing.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const VKEY = 'PJkey0123456789ABCDEFabcdef01234';

describe('simulator signing: docs/providers/payjs.md §2.4 vectors', () => {
  const P3 = {
    mchid: '1528140051',
    out_trade_no: '2332',
    paid_time: '0',
    payjs_order_id: '2019043012232600733973651',
    return_code: 1,
    status: 0,
    total_fee: 21,
    transaction_id: '0',
  };
  const P4 = {
    return_code: '1',
    total_fee: '100',
    out_trade_no: 'ORDER-20240101-0001',
    payjs_order_id: '2024010112000000123456789',
    transaction_id: '4200002000202401011234567890',
    time_end: '2024-01-01 12:00:05',
    openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
    mchid: '1528140051',
    attach: 'a b+c 中文',
    type: '',
  };
  it('P1, P2, P3a, P4a with PHP semantics', () => {
    expect(simSign({ mchid: '12345', out_trade_no: '123123123123', total_fee: 1 }, 'xxxxxxxxx')).toBe(
      'D284B39BA646EB978DF4FF1F5E59D2AD',
    );
    expect(simSign({ mchid: '1528140051', payjs_order_id: '2019043012232600733973651' }, VKEY)).toBe(
      'C859D51AFB8A527BD4CE2CE12AE964B0',
    );
    expect(simSign(P3, VKEY)).toBe('6C0A06B240E79F57B74A86830BB42BB4');
    expect(simSign(P4, VKEY)).toBe('5EF8D06CC5B95DACA93B1FFF263A217D');
  });
  it('P3b is the Java demo (no filtering); the Python-demo digest P4b is refused', () => {
    expect(simSign(P3, VKEY, 'none')).toBe('575FDCE117E85979BA17E0AF91DE381E');
    expect(simVerify({ ...P4, sign: '5EF8D06CC5B95DACA93B1FFF263A217D' }, VKEY)).toBe(true);
    expect(simVerify({ ...P4, sign: '2B38ECC110195FE33E6295E56A38F925' }, VKEY)).toBe(false);
  });
});

describe('request bodies', () => {
  it('reads urlencoded, multipart and JSON (with or without a JSON content type)', () => {
    const want = { mchid: '1528140051', payjs_order_id: '2019043012232600733973651', attach: 'a b+c 中文' };
    expect(parseRequestBody(new URLSearchParams(want).toString(), 'application/x-www-form-urlencoded')).toEqual(want);
    expect(parseRequestBody(JSON.stringify(want), 'application/json')).toEqual(want);
    expect(parseRequestBody(JSON.stringify(want), undefined)).toEqual(want);
    const multipart = Object.entries(want)
      .map(([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    expect(parseRequestBody(`${multipart}--XyZ--\r\n`, 'multipart/form-data; boundary=XyZ')).toEqual(want);
  });
  it('JSON numbers and booleans become the strings PHP would see; nested or broken bodies are unreadable', () => {
    expect(parseRequestBody('{"total_fee":21,"a":true,"b":false,"c":null}', 'application/json')).toEqual({
      total_fee: '21',
      a: '1',
      b: '',
      c: '',
    });
    expect(parseRequestBody('{"a":{"b":1}}', 'application/json')).toBeUndefined();
    expect(parseRequestBody('{"a":', 'application/json')).toBeUndefined();
    expect(parseRequestBody('--XyZ\r\nno headers', 'multipart/form-data; boundary=XyZ')).toBeUndefined();
  });
});

describe('the PAYJS routes', () => {
  let sb: TestSandbox;
  let key: string;
  let mchid: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    ({ key, mchid } = sb.sandbox.ctx.credentials.payjs);
  });
  afterAll(async () => sb.close());
  afterEach(() => sb.admin('DELETE', '/faults'));

  const post = async (path: string, body: string | FormData, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sb.sandbox.url}/payjs/api/${path}`, { method: 'POST', headers, body });
    const text = await res.text();
    return {
      status: res.status,
      text,
      json: res.headers.get('content-type')?.includes('json')
        ? (JSON.parse(text) as Record<string, string | number>)
        : undefined,
    };
  };
  const form = (fields: Record<string, string>) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const signed = (fields: Record<string, string>) => ({ ...fields, sign: simSign(fields, key) });
  const paidOrder = async () =>
    (await sb.admin('POST', '/orders', { provider: 'payjs', state: 'paid', amount: 2100 })).providerOrderId as string;

  it('gives orders PAYJS-shaped ids under the sandbox merchant', async () => {
    const o = await sb.admin('POST', '/orders', { provider: 'payjs', state: 'unpaid', amount: 1 });
    expect(o.merchantId).toBe(mchid);
    expect(o.providerOrderId).toMatch(/^20\d{23}$/);
    expect(o.providerFields).toEqual({
      mchid,
      payjs_order_id: o.providerOrderId,
      out_trade_no: o.orderId,
      total_fee: 1,
    });
    expect(payjsSimulator.identity.defaultCurrency).toBe('CNY');
  });

  it.each<[string, (fields: Record<string, string>) => { body: string | FormData; headers?: Record<string, string> }]>([
    ['urlencoded (docs demos)', (f) => form(f)],
    [
      'multipart (PHP SDK)',
      (f) => ({ body: Object.entries(f).reduce((fd, [k, v]) => (fd.append(k, v), fd), new FormData()) }),
    ],
    ['JSON without a JSON content type (Java demo)', (f) => ({ body: JSON.stringify(f) })],
    [
      'JSON with a JSON content type',
      (f) => ({ body: JSON.stringify(f), headers: { 'content-type': 'application/json' } }),
    ],
  ])('accepts a signed %s check and answers signed JSON in the real shape', async (_how, encode) => {
    const id = await paidOrder();
    const { body, headers } = encode(signed({ mchid, payjs_order_id: id }));
    const res = await post('check', body, headers);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      return_code: 1,
      mchid,
      payjs_order_id: id,
      status: 1,
      total_fee: 2100,
      transaction_id: expect.stringMatching(/^42\d{26}$/),
    });
    expect(res.json!.sign).toBe(simSign(res.json!, key));
    expect(payjsVerify(res.json!, key)).toBe(true);
  });

  it('an unpaid order answers status 0 with "0" for transaction_id and paid_time (docs/providers/payjs.md §3.1)', async () => {
    const id = (await sb.admin('POST', '/orders', { provider: 'payjs', state: 'unpaid', amount: 21 }))
      .providerOrderId as string;
    const res = await post('check', form(signed({ mchid, payjs_order_id: id })).body, form({}).headers);
    expect(res.json).toMatchObject({ return_code: 1, status: 0, transaction_id: '0', paid_time: '0', total_fee: 21 });
    expect(res.json!.sign).toBe(simSign(res.json!, key));
  });

  it('accepts requests without mchid (docs Python demo) and Java-demo signatures over empty fields', async () => {
    const id = await paidOrder();
    expect((await post('check', form(signed({ payjs_order_id: id })).body, form({}).headers)).json).toMatchObject({
      return_code: 1,
    });
    const java = { mchid, payjs_order_id: id, attach: '' };
    expect((await post('check', JSON.stringify({ ...java, sign: simSign(java, key, 'none') }))).json).toMatchObject({
      return_code: 1,
    });
  });

  it('writes non-ASCII as \\u escapes, as PHP json_encode does', async () => {
    const res = await post(
      'check',
      form(signed({ mchid, payjs_order_id: '2000010100000000000000000' })).body,
      form({}).headers,
    );
    expect(res.text).toContain('\\u8ba2\\u5355');
    expect(res.json).toMatchObject({ return_code: 0, return_msg: '订单不存在' });
  });

  it.each<[string, string, () => Promise<Record<string, string>>, boolean]>([
    [
      'a signature under another key',
      '签名错误',
      async () => ({
        mchid,
        payjs_order_id: await paidOrder(),
        sign: simSign({ mchid, payjs_order_id: '1' }, 'wrong'),
      }),
      true,
    ],
    [
      'a changed field',
      '签名错误',
      async () => ({ ...signed({ mchid, payjs_order_id: await paidOrder() }), attach: 'x' }),
      true,
    ],
    ['no sign', '签名错误', async () => ({ mchid, payjs_order_id: await paidOrder() }), true],
    [
      'a lower-case sign',
      '签名错误',
      async () => {
        const f = signed({ mchid, payjs_order_id: await paidOrder() });
        return { ...f, sign: f.sign!.toLowerCase() };
      },
      true,
    ],
    [
      'another merchant number',
      '商户号错误',
      async () => signed({ mchid: '1528140052', payjs_order_id: await paidOrder() }),
      false,
    ],
    ['no payjs_order_id', '参数错误：缺少payjs_order_id', async () => signed({ mchid }), true],
  ])('refuses %s with HTTP 200, return_code 0 and "%s"', async (_what, message, build, isSigned) => {
    for (const path of ['check', 'close', 'reverse', 'refund']) {
      const res = await post(path, form(await build()).body, form({}).headers);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ return_code: 0, return_msg: message });
      if (isSigned) expect(res.json!.sign).toBe(simSign(res.json!, key));
      else expect(res.json!.sign).toBeUndefined();
    }
    const { orders } = await sb.admin('GET', '/ledger');
    expect(orders.filter((o: { returned: number }) => o.returned > 0)).toEqual([]);
  });

  it('refuses an unreadable body without a signature', async () => {
    expect((await post('refund', '{"broken":', { 'content-type': 'application/json' })).json).toEqual({
      return_code: 0,
      return_msg: '参数错误',
    });
  });

  it('answers faults in PAYJS shapes: busy refusal (signed), HTTP 500 page, HTTP 429, corrupt signature', async () => {
    const id = await paidOrder();
    const req = form(signed({ mchid, payjs_order_id: id }));
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'in_progress' });
    const busy = await post('refund', req.body, req.headers);
    expect(busy.json).toMatchObject({ return_code: 0, return_msg: '系统繁忙，请稍后再试' });
    expect(busy.json!.sign).toBe(simSign(busy.json!, key));
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'http_500' });
    expect((await post('refund', req.body, req.headers)).status).toBe(500);
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'rate_limit' });
    expect((await post('refund', req.body, req.headers)).status).toBe(429);
    await sb.admin('POST', '/faults', { provider: 'payjs', call: 'refund', kind: 'bad_signature' });
    const corrupt = await post('refund', req.body, req.headers);
    expect(corrupt.json).toMatchObject({
      return_code: 1,
      payjs_order_id: id,
      sign: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    expect(corrupt.json!.sign).not.toBe(simSign(corrupt.json!, key));
    // The corrupt answer's refund was applied: a repeat says so.
    expect((await post('refund', req.body, req.headers)).json).toMatchObject({ return_code: 0, refund: '1' });
  });
});
