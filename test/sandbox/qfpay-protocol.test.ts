/**
 * The QFPay simulator speaks QFPay's protocol: its own signing matches the documented vectors,
 * it answers signed Python-style JSON, refuses bad callers the way QFPay does (HTTP 200 with a
 * respcd), accepts GET and POST for reversal/close, and enforces the refund and query rules.
 * Requests here are built by hand (signed with the adapter's vector-checked signer), not by the adapter.
 */
import { qfpaySignBody, qfpaySignRequest } from '../../activities/providers/qfpay/signer.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import {
  qfpaySandboxSettings,
  qfpaySimulator,
  resetQfpaySandboxSettings,
} from '../../sandbox/providers/qfpay/index.js';
import {
  pythonJson,
  simSignBody,
  simSigningString,
  simSignRequest,
  simVerifyRequest,
} from '../../sandbox/providers/qfpay/signing.js';
import { parsePairs, Q0, Q1, Q2, Q3, Q4, Q5, QKEY } from '../activities/providers/qfpay/vectors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ACCOUNT = SANDBOX_ACCOUNTS.qfpay;

describe('simulator signing: docs/providers/qfpay.md §2.4 vectors', () => {
  it('Q0, Q1, Q3, Q4 requests; Q2, Q5 bodies', () => {
    expect(simSignRequest(parsePairs(Q0.line), '', 'MD5')).toBe(Q0.md5);
    expect(simSignRequest(parsePairs(Q1.params), Q1.key, 'MD5')).toBe(Q1.md5);
    expect(simSigningString(Q3.params, QKEY)).toBe(Q3.string);
    expect(simSignRequest(Q3.params, QKEY, 'MD5')).toBe(Q3.md5);
    expect(simSignRequest(Q3.params, QKEY, 'SHA256')).toBe(Q3.sha256);
    expect(simSignRequest(Q4.params, QKEY, 'MD5')).toBe(Q4.md5);
    expect(simSignBody(Q2.body, Q2.key)).toBe(Q2.md5);
    expect(simSignBody(Q5.body, QKEY)).toBe(Q5.md5);
  });

  it('writes Python json.dumps: the Q5 body byte for byte', () => {
    expect(pythonJson(Q5.object)).toBe(Q5.body);
    expect(pythonJson({ a: [1, 'é'], b: null, c: true, d: '\u007f\n"😀' })).toBe(
      '{"a": [1, "\\u00e9"], "b": null, "c": true, "d": "\u007f\\n\\"\\ud83d\\ude00"}',
    );
  });

  it('accepts lower-case hex, and signatures over all parameters or over the non-empty ones (§2.1)', () => {
    const withEmpty = { ...Q4.params, udid: '' };
    expect(simVerifyRequest(Q4.params, QKEY, 'MD5', Q4.md5.toLowerCase())).toBe(true);
    expect(simVerifyRequest(withEmpty, QKEY, 'MD5', Q4.md5)).toBe(true);
    expect(simVerifyRequest(withEmpty, QKEY, 'MD5', simSignRequest(withEmpty, QKEY, 'MD5'))).toBe(true);
    expect(simVerifyRequest(Q4.params, QKEY, 'SHA256', Q4.md5)).toBe(false);
    expect(simVerifyRequest(Q4.params, QKEY, 'MD5', undefined)).toBe(false);
  });
});

describe('the QFPay routes', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  afterEach(async () => {
    resetQfpaySandboxSettings();
    await sb.admin('DELETE', '/faults');
  });

  interface Call {
    method?: 'GET' | 'POST';
    signType?: 'MD5' | 'SHA256';
    /** Send X-QF-SIGNTYPE (defaults to: only for SHA256). */
    declare?: string | null;
    appCode?: string;
    key?: string;
    sign?: string;
    rawBody?: string;
  }
  /** One hand-built QFPay request; returns the raw answer. */
  const call = async (endpoint: string, params: Record<string, string>, c: Call = {}) => {
    const signType = c.signType ?? 'MD5';
    const headers: Record<string, string> = {
      'x-qf-appcode': c.appCode ?? ACCOUNT.appCode,
      'x-qf-sign': c.sign ?? qfpaySignRequest(params, c.key ?? ACCOUNT.clientKey, signType),
    };
    const declare = c.declare === undefined ? (signType === 'SHA256' ? 'SHA256' : null) : c.declare;
    if (declare !== null) headers['x-qf-signtype'] = declare;
    const query = new URLSearchParams(params).toString();
    const url = `${sb.sandbox.url}/qfpay/trade/v1/${endpoint}${c.method === 'GET' ? `?${query}` : ''}`;
    const res = await fetch(url, {
      method: c.method ?? 'POST',
      headers: c.method === 'GET' ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: c.method === 'GET' ? undefined : (c.rawBody ?? query),
    });
    const raw = await res.text();
    return {
      status: res.status,
      sign: res.headers.get('x-qf-sign'),
      signType: res.headers.get('x-qf-signtype'),
      raw,
      json: () => JSON.parse(raw),
    };
  };
  const make = (state: string, extra: Record<string, unknown> = {}) =>
    sb.admin('POST', '/orders', { provider: 'qfpay', state, amount: 2500, payType: '800208', ...extra });
  const mchid = ACCOUNT.mchid;
  const verified = (a: { raw: string; sign: string | null }) => a.sign === qfpaySignBody(a.raw, ACCOUNT.clientKey);

  it('answers a query with signed Python-style JSON, ASCII only, outer respcd and data rows', async () => {
    const order = await make('paid');
    const a = await call('query', { mchid, syssn: order.providerOrderId });
    expect(a.status).toBe(200);
    expect(verified(a)).toBe(true);
    expect(
      a.raw.startsWith(
        '{"respmsg": "", "resperr": "\\u8bf7\\u6c42\\u6210\\u529f", "respcd": "0000", "data": [{"cancel": "0", ',
      ),
    ).toBe(true);
    expect(Buffer.from(a.raw).every((b) => b < 0x80)).toBe(true);
    expect(a.json()).toMatchObject({
      page: '1',
      page_size: '10',
      data: [
        {
          syssn: order.providerOrderId,
          out_trade_no: order.orderId,
          order_type: 'payment',
          txamt: '2500',
          respcd: '0000',
          cancel: '0',
        },
      ],
    });
  });

  it('refuses a bad signature (1108, signed), an unknown app code (1108, unsigned) and a missing or wrong mchid (1104)', async () => {
    const params = { mchid, out_trade_no: 'X1' };
    const badSign = await call('query', params, { sign: 'F'.repeat(32) });
    expect([badSign.status, badSign.json().respcd, verified(badSign)]).toEqual([200, '1108', true]);
    const otherKey = await call('query', params, { key: 'F'.repeat(32) });
    expect(otherKey.json().respcd).toBe('1108');
    const stranger = await call('query', params, { appCode: 'NOSUCHAPP' });
    expect([stranger.json().respcd, stranger.sign]).toEqual(['1108', null]);
    expect((await call('query', { out_trade_no: 'X1' })).json().respcd).toBe('1104');
    expect((await call('query', { mchid: 'OtherMchid1', out_trade_no: 'X1' })).json().respcd).toBe('1104');
  });

  it('signature types: SHA256 declared, lower-case hex, empty parameters either way; an undeclared SHA256 or unknown type is refused', async () => {
    const params = { mchid, out_trade_no: 'X1' };
    expect((await call('query', params, { signType: 'SHA256' })).json().respcd).toBe('0000');
    expect(
      (await call('query', params, { sign: qfpaySignRequest(params, ACCOUNT.clientKey).toLowerCase() })).json().respcd,
    ).toBe('0000');
    expect((await call('query', params, { declare: 'MD5' })).json().respcd).toBe('0000');
    expect((await call('query', params, { signType: 'SHA256', declare: null })).json().respcd).toBe('1108');
    expect((await call('query', params, { declare: 'SHA1' })).json().respcd).toBe('1104');
    const withEmpty = { ...params, udid: '' };
    expect((await call('query', withEmpty)).json().respcd).toBe('0000');
    expect((await call('query', withEmpty, { sign: qfpaySignRequest(params, ACCOUNT.clientKey) })).json().respcd).toBe(
      '0000',
    );
  });

  it('a repeated parameter name is refused (the signed and the read value could differ)', async () => {
    const params = { mchid, out_trade_no: 'X1' };
    const a = await call('query', params, { rawBody: `${new URLSearchParams(params).toString()}&out_trade_no=X2` });
    expect(a.json()).toMatchObject({ respcd: '1104' });
  });

  it('signs answers with SHA256 when set to echo the request type', async () => {
    qfpaySandboxSettings.responseSignType = 'request';
    const a = await call('query', { mchid, out_trade_no: 'X1' }, { signType: 'SHA256' });
    expect([a.signType, a.sign]).toEqual(['SHA256', qfpaySignBody(a.raw, ACCOUNT.clientKey, 'SHA256')]);
    const md5 = await call('query', { mchid, out_trade_no: 'X1' });
    expect([md5.signType, verified(md5)]).toEqual([null, true]);
  });

  describe('query rules (§4)', () => {
    it('needs syssn, out_trade_no or a time range within one month; page_size at most 100', async () => {
      expect((await call('query', { mchid })).json().respcd).toBe('1104');
      expect(
        (await call('query', { mchid, start_time: '2024-01-31 00:00:00', end_time: '2024-02-01 00:00:00' })).json()
          .respcd,
      ).toBe('1104');
      expect((await call('query', { mchid, out_trade_no: 'X1', page_size: '101' })).json().respcd).toBe('1104');
    });

    it('comma lists, a payment with its refund rows, pay_type and respcd filters, a time range, paging', async () => {
      const a = await make('paid');
      const b = await make('partially_refunded', { payType: '800201' });
      const both = (await call('query', { mchid, out_trade_no: `${a.orderId},${b.orderId}` })).json().data;
      expect(
        both.map((r: { order_type: string; out_trade_no: string }) => `${r.order_type}:${r.out_trade_no}`),
      ).toEqual([`payment:${a.orderId}`, `payment:${b.orderId}`, `refund:RF${b.refunds[0].refundId}`]);
      expect(both[2]).toMatchObject({ origssn: b.providerOrderId, txamt: '1250', respcd: '0000' });
      expect(
        (
          await call('query', { mchid, out_trade_no: `${a.orderId},${b.orderId}`, pay_type: '800201', respcd: '0000' })
        ).json().data,
      ).toHaveLength(2);
      const now = new Date(Date.now() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
      const range = { mchid, start_time: `${now.slice(0, 7)}-01 00:00:00`, end_time: now.slice(0, 10) + ' 23:59:59' };
      const page1 = (await call('query', { ...range, page_size: '1' })).json();
      expect(page1).toMatchObject({ respcd: '0000', page: '1', page_size: '1', data: [expect.any(Object)] });
      const all = (await call('query', { ...range, page_size: '100' }))
        .json()
        .data.map((r: { syssn: string }) => r.syssn);
      expect(all).toEqual(expect.arrayContaining([a.providerOrderId, b.providerOrderId, b.refunds[0].refundId]));
    });

    it('an unknown id is an empty page, not an error', async () => {
      expect((await call('query', { mchid, syssn: '20200101000200020000000000' })).json()).toMatchObject({
        respcd: '0000',
        data: [],
      });
    });
  });

  describe('reversal and close (§5.1, §5.3)', () => {
    it.each([
      ['reversal', 'GET', 'reversed'],
      ['reversal', 'POST', 'reversed'],
      ['close', 'GET', 'closed'],
      ['close', 'POST', 'closed'],
    ] as const)(
      '%s by %s cancels an unpaid order and names the new and original syssn',
      async (endpoint, method, after) => {
        const o = await make('unpaid');
        const txdtm = new Date(Date.parse(o.createdAt) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
        const a = await call(endpoint, { mchid, out_trade_no: o.orderId, txamt: '2500', txdtm }, { method });
        expect(verified(a)).toBe(true);
        expect(a.json()).toMatchObject({
          respcd: '0000',
          orig_syssn: o.providerOrderId,
          syssn: expect.stringMatching(/^\d{26}$/),
          txamt: '2500',
          txdtm,
        });
        expect(a.json().syssn).not.toBe(o.providerOrderId);
        expect((await sb.admin('GET', `/orders/qfpay/${o.orderId}`)).state).toBe(after);
      },
    );

    it('requires txamt and txdtm and an id', async () => {
      const o = await make('unpaid');
      expect((await call('reversal', { mchid, out_trade_no: o.orderId, txamt: '2500' })).json().respcd).toBe('1104');
      expect((await call('reversal', { mchid, txamt: '2500', txdtm: '2024-01-01 00:00:00' })).json().respcd).toBe(
        '1104',
      );
      expect(
        (
          await call('close', {
            mchid,
            syssn: o.providerOrderId,
            out_trade_no: 'OTHER',
            txamt: '2500',
            txdtm: '2024-01-01 00:00:00',
          })
        ).json().respcd,
      ).toBe('1136');
    });
  });

  describe('refund (§5.4)', () => {
    const refund = (syssn: string, outTradeNo: string, txamt: string) =>
      call('refund', { mchid, syssn, out_trade_no: outTradeNo, txamt, txdtm: '2024-05-01 12:00:00' });

    it('answers the refund syssn and the original; the out_trade_no is unique across payments and refunds (1102)', async () => {
      const o = await make('paid');
      const other = await make('unpaid');
      const a = await refund(o.providerOrderId, `${o.orderId}-RF1`, '1000');
      expect(verified(a)).toBe(true);
      expect(a.json()).toMatchObject({
        respcd: '0000',
        orig_syssn: o.providerOrderId,
        out_trade_no: `${o.orderId}-RF1`,
        txamt: '1000',
        syssn: expect.stringMatching(/^\d{8}0003/),
      });
      expect((await refund(o.providerOrderId, `${o.orderId}-RF1`, '1000')).json().respcd).toBe('1102');
      expect((await refund(o.providerOrderId, other.orderId, '1000')).json().respcd).toBe('1102');
      qfpaySandboxSettings.duplicateRefundCode = '2011';
      expect((await refund(o.providerOrderId, `${o.orderId}-RF1`, '1000')).json().respcd).toBe('2011');
      const found = (await call('query', { mchid, out_trade_no: `${o.orderId}-RF1` })).json().data;
      expect(found).toEqual([
        expect.objectContaining({ order_type: 'refund', origssn: o.providerOrderId, txamt: '1000', respcd: '0000' }),
      ]);
    });

    it('cumulative refunds stay within the amount (1272); fields are required (1104); the syssn must be a payment (1136)', async () => {
      const o = await make('paid');
      expect((await refund(o.providerOrderId, `${o.orderId}-A`, '2000')).json().respcd).toBe('0000');
      expect((await refund(o.providerOrderId, `${o.orderId}-B`, '501')).json().respcd).toBe('1272');
      expect((await refund(o.providerOrderId, `${o.orderId}-C`, '500')).json().respcd).toBe('0000');
      expect((await refund(o.providerOrderId, `${o.orderId}-D`, '0')).json().respcd).toBe('1104');
      expect((await refund(o.providerOrderId, `${o.orderId}-E`, '1.5')).json().respcd).toBe('1104');
      expect(
        (await call('refund', { mchid, syssn: o.providerOrderId, out_trade_no: `${o.orderId}-F`, txamt: '1' })).json()
          .respcd,
      ).toBe('1104');
      expect((await refund('20200101000200020000000000', `${o.orderId}-G`, '1')).json().respcd).toBe('1136');
      expect((await sb.admin('GET', '/ledger')).overReturned).toEqual([]);
    });

    it('the 23:30-00:30 Hong Kong block (1265) only when switched on', async () => {
      const o = await make('paid');
      qfpaySandboxSettings.now = () => new Date('2024-05-01T16:15:00Z'); // 00:15 in Hong Kong
      expect((await refund(o.providerOrderId, `${o.orderId}-A`, '100')).json().respcd).toBe('0000');
      qfpaySandboxSettings.refundBlackout = true;
      expect((await refund(o.providerOrderId, `${o.orderId}-B`, '100')).json().respcd).toBe('1265');
      qfpaySandboxSettings.now = () => new Date('2024-05-01T15:29:00Z'); // 23:29
      expect((await refund(o.providerOrderId, `${o.orderId}-C`, '100')).json().respcd).toBe('0000');
    });
  });

  describe('faults speak QFPay', () => {
    it('in_progress answers the given codes, signed; http_500 and rate_limit are bare HTTP errors', async () => {
      const o = await make('unpaid');
      await sb.admin('POST', '/faults', {
        provider: 'qfpay',
        call: 'reverse',
        kind: 'in_progress',
        count: 2,
        codes: ['1143', '1145'],
      });
      const params = { mchid, syssn: o.providerOrderId, txamt: '2500', txdtm: '2024-01-01 00:00:00' };
      const first = await call('reversal', params);
      expect([first.json().respcd, verified(first)]).toEqual(['1143', true]);
      expect((await call('reversal', params)).json().respcd).toBe('1145');
      await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'query', kind: 'http_500' });
      expect((await call('query', { mchid, syssn: o.providerOrderId })).status).toBe(500);
      await sb.admin('POST', '/faults', { provider: 'qfpay', call: 'query', kind: 'rate_limit' });
      expect((await call('query', { mchid, syssn: o.providerOrderId })).status).toBe(429);
      expect((await sb.admin('GET', `/orders/qfpay/${o.orderId}`)).state).toBe('unpaid');
    });
  });

  it('rate limit (§8), when switched on: 100 per second and 400 per minute per app code, then HTTP 429', async () => {
    let now = Date.parse('2024-05-01T04:00:00Z');
    Object.assign(qfpaySandboxSettings, { rateLimit: true, now: () => new Date(now) });
    const burst = async (n: number) => {
      const statuses: number[] = [];
      for (let i = 0; i < n; i += 1) statuses.push((await call('query', { mchid, out_trade_no: 'X1' })).status);
      return statuses;
    };
    expect(new Set(await burst(100))).toEqual(new Set([200]));
    expect(await burst(1)).toEqual([429]);
    // Three more seconds of 100 each: 400 within the minute, so the next one is refused.
    for (let batch = 0; batch < 3; batch += 1) {
      now += 2_000;
      expect(new Set(await burst(100))).toEqual(new Set([200]));
    }
    now += 2_000;
    expect(await burst(1)).toEqual([429]);
    now += 61_000;
    expect(await burst(1)).toEqual([200]);
  });

  it('orders get QFPay-shaped ids and the sandbox merchant by default; describe() gives the creation fields', async () => {
    const o = await make('unpaid');
    expect(o).toMatchObject({
      merchantId: ACCOUNT.mchid,
      currency: 'HKD',
      providerOrderId: expect.stringMatching(/^\d{8}0002000\d{11}$/),
    });
    expect(qfpaySimulator.identity.defaultPayType).toBe('800201');
    expect(o.providerFields).toEqual({
      syssn: o.providerOrderId,
      out_trade_no: o.orderId,
      pay_type: '800208',
      txamt: '2500',
      txcurrcd: 'HKD',
      txdtm: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      sysdtm: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
  });
});
