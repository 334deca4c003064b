/**
 * The WeChat Pay simulator's own protocol, spoken to over raw HTTP: its crypto against the
 * documented vectors, how it refuses requests (docs/providers/wechatpay.md §2.3, §9), which answers it
 * signs and how (§3), and the shapes and parameter rules of its routes (§5).
 */
import { createSign, createVerify, randomBytes } from 'node:crypto';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import {
  resetWechatpaySandboxSettings,
  wechatpaySandboxSettings as settings,
} from '../../sandbox/providers/wechatpay/index.js';
import {
  simEncryptResource,
  simParseAuthorization,
  simSignAnswer,
  simVerifyRequest,
} from '../../sandbox/providers/wechatpay/signing.js';
import {
  MERCHANT_PRIVATE,
  MERCHANT_PUBLIC,
  PLATFORM_PRIVATE,
  PLATFORM_PUBLIC,
  V,
} from '../activities/providers/wechatpay/fixtures.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const account = SANDBOX_ACCOUNTS.wechatpay;
const A = V.A!,
  B = V.B!,
  C = V.C!,
  D = V.D!,
  D2 = V.D2!,
  E = V.E!;

describe("the simulator's crypto against the vectors", () => {
  it('A, B, C: verifies the documented request signatures over method, target, timestamp, nonce and body', () => {
    const auth = simParseAuthorization(A.authorization)!;
    expect(auth).toMatchObject({
      mchid: '1230000109',
      serial_no: '3775B6A45ACD588826D15E583A95F5DD00000000',
      timestamp: '1554208460',
    });
    const target = A.message!.split('\n')[1]!;
    expect(simVerifyRequest('GET', target, auth, '', MERCHANT_PUBLIC)).toBe(true);
    expect(simVerifyRequest('POST', target, auth, '', MERCHANT_PUBLIC)).toBe(false);
    const post = { ...auth, timestamp: '1554208461', nonce_str: 'C0FFEE0123456789C0FFEE0123456789' };
    expect(
      simVerifyRequest(
        'POST',
        '/v3/refund/domestic/refunds',
        { ...post, signature: B.signature! },
        B.body!,
        MERCHANT_PUBLIC,
      ),
    ).toBe(true);
    expect(
      simVerifyRequest(
        'POST',
        C.message!.split('\n')[1]!,
        { ...post, signature: C.signature! },
        C.body!,
        MERCHANT_PUBLIC,
      ),
    ).toBe(true);
    expect(
      simVerifyRequest(
        'POST',
        '/v3/refund/domestic/refunds',
        { ...post, signature: B.signature! },
        B.body!.replace('100', '101'),
        MERCHANT_PUBLIC,
      ),
    ).toBe(false);
  });

  it('D, D2: signs answers exactly as documented, 204 included; E: encrypts the resource to the documented ciphertext', () => {
    const [ts, nonce] = D.message!.split('\n') as [string, string];
    expect(simSignAnswer(ts, nonce, D.body!, PLATFORM_PRIVATE)).toBe(D.signature);
    expect(simSignAnswer(ts, nonce, '', PLATFORM_PRIVATE)).toBe(D2.signature);
    expect(simEncryptResource(E.apiv3key!, E.nonce!, E.associated_data!, E.plaintext!)).toBe(E.ciphertext);
  });

  it('reads Authorization parameters in any order; refuses a repeated one or a missing one', () => {
    const auth = simParseAuthorization(A.authorization)!;
    const reordered = `WECHATPAY2-SHA256-RSA2048 signature="${auth.signature}", serial_no="${auth.serial_no}",timestamp="${auth.timestamp}" ,nonce_str="${auth.nonce_str}",mchid="${auth.mchid}"`;
    expect(simParseAuthorization(reordered)).toEqual(auth);
    expect(simParseAuthorization(`${A.authorization},mchid="1"`)).toBeUndefined();
    expect(simParseAuthorization(A.authorization!.replace(/nonce_str="[^"]*",/, ''))).toBeUndefined();
  });
});

describe('over HTTP', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  afterEach(async () => {
    resetWechatpaySandboxSettings();
    await sb.admin('DELETE', '/faults');
  });

  interface Call {
    method?: 'GET' | 'POST';
    body?: string;
    /** Sign this target instead of the one sent. */
    signTarget?: string;
    /** Sign this body instead of the one sent. */
    signBody?: string;
    ts?: number;
    mchid?: string;
    serial?: string;
    key?: string;
    authorization?: string | null;
    headers?: Record<string, string>;
    /** Where the API is served: under the /wechatpay prefix (default) or at the root (''). */
    mount?: '/wechatpay' | '';
  }
  /** A request signed by hand the way §2 says, to `<mount><path>`. */
  const call = async (path: string, c: Call = {}) => {
    const method = c.method ?? (c.body === undefined ? 'GET' : 'POST');
    const target = `${c.mount ?? '/wechatpay'}${path}`;
    const ts = String(c.ts ?? Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const message = `${method}\n${c.signTarget ?? target}\n${ts}\n${nonce}\n${c.signBody ?? c.body ?? ''}\n`;
    const signature = createSign('RSA-SHA256')
      .update(message)
      .sign(c.key ?? MERCHANT_PRIVATE, 'base64');
    const authorization =
      c.authorization === undefined
        ? `WECHATPAY2-SHA256-RSA2048 mchid="${c.mchid ?? account.spMchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${c.serial ?? account.merchantSerial}"`
        : c.authorization;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'protocol-test',
      ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...c.headers,
    };
    if (authorization !== null) headers.authorization = authorization;
    const res = await fetch(`${sb.sandbox.url}${target}`, { method, headers, body: c.body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  };
  /** Whether an answer verifies with the platform public key under the sandbox's PUB_KEY_ID. */
  const verifies = (res: { headers: Headers; text: string }): boolean => {
    const h = (n: string) => res.headers.get(n) ?? '';
    if (h('wechatpay-serial') !== account.platformKeyId) return false;
    return createVerify('RSA-SHA256')
      .update(`${h('wechatpay-timestamp')}\n${h('wechatpay-nonce')}\n${res.text}\n`)
      .verify(PLATFORM_PUBLIC, h('wechatpay-signature'), 'base64');
  };
  const order = (state: string, extra: Record<string, unknown> = {}) =>
    sb.admin('POST', '/orders', { provider: 'wechatpay', state, amount: 990, payType: 'NATIVE', ...extra });
  const scope = `sp_mchid=${account.spMchid}&sub_mchid=${account.defaultSubMchid}`;
  const queryPath = (o: { orderId: string }, q = scope) =>
    `/v3/pay/partner/transactions/out-trade-no/${o.orderId}?${q}`;

  describe('request authentication (§2.3): 401 SIGN_ERROR, unsigned', () => {
    const now = () => Math.floor(Date.now() / 1000);
    it.each<[string, (o: { orderId: string }) => Call]>([
      ['no Authorization', () => ({ authorization: null })],
      ['another scheme', () => ({ authorization: 'WECHATPAY2-SM2-WITH-SM3 mchid="1230000109"' })],
      ['another caller mchid', () => ({ mchid: '1230000999' })],
      ['another certificate serial', () => ({ serial: '3775B6A45ACD588826D15E583A95F5DD00000001' })],
      ['a key that is not the merchant key', () => ({ key: PLATFORM_PRIVATE })],
      ['a timestamp 301 s old', () => ({ ts: now() - 301 })],
      ['a timestamp in milliseconds', () => ({ ts: Date.now() })],
      [
        'a signature over another query string',
        (o) => ({ signTarget: `/wechatpay${queryPath(o, `sp_mchid=${account.spMchid}&sub_mchid=1900000999`)}` }),
      ],
      ['a signature over the path without the /wechatpay prefix', (o) => ({ signTarget: queryPath(o) })],
    ])('%s', async (_what, tweak) => {
      const o = await order('paid');
      const res = await call(queryPath(o), tweak(o));
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'SIGN_ERROR' });
      expect(res.headers.get('wechatpay-signature')).toBeNull();
      expect(res.headers.get('request-id')).toMatch(/^08[0-9A-F]{28}$/);
    });

    it('a clock 301 s off says so, as WeChat does', async () => {
      const res = await call(queryPath(await order('unpaid')), { ts: now() + 301 });
      expect(res.json).toEqual({
        code: 'SIGN_ERROR',
        message: 'Http头Authorization中的timestamp与发起请求的时间不得超过5分钟',
      });
    });

    it('a body changed after signing', async () => {
      const o = await order('unpaid');
      const body = JSON.stringify({ sp_mchid: account.spMchid, sub_mchid: account.defaultSubMchid });
      const res = await call(`/v3/pay/partner/transactions/out-trade-no/${o.orderId}/close`, {
        body,
        signBody: body.replace('{', '{ '),
      });
      expect(res.status).toBe(401);
      expect((await sb.admin('GET', `/orders/wechatpay/${o.orderId}`)).state).toBe('unpaid');
    });

    it('accepted: 290 s of skew, parameters in another order with spaces', async () => {
      const o = await order('unpaid');
      // 10 s inside the 300 s limit: on a loaded machine seconds pass between now() and the check.
      expect((await call(queryPath(o), { ts: now() - 290 })).status).toBe(200);
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = 'N'.repeat(32);
      const signature = createSign('RSA-SHA256')
        .update(`GET\n/wechatpay${queryPath(o)}\n${ts}\n${nonce}\n\n`)
        .sign(MERCHANT_PRIVATE, 'base64');
      const authorization = `WECHATPAY2-SHA256-RSA2048 serial_no="${account.merchantSerial}", signature="${signature}", timestamp="${ts}", nonce_str="${nonce}", mchid="${account.spMchid}"`;
      expect((await call(queryPath(o), { authorization })).status).toBe(200);
    });

    it('a Wechatpay-Serial request header naming a key we do not have is 400 INVALID_REQUEST; ours is fine (§2.4)', async () => {
      const o = await order('unpaid');
      const refused = await call(queryPath(o), {
        headers: { 'wechatpay-serial': 'PUB_KEY_ID_01123000010920219999999999999999' },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(verifies(refused)).toBe(true);
      expect((await call(queryPath(o), { headers: { 'wechatpay-serial': account.platformKeyId } })).status).toBe(200);
    });
  });

  describe('answers (§3)', () => {
    it('a 200 is signed over its raw body with the platform key under the PUB_KEY_ID, and carries a Request-ID', async () => {
      const res = await call(queryPath(await order('paid')));
      expect(res.status).toBe(200);
      expect(res.headers.get('wechatpay-serial')).toBe(account.platformKeyId);
      expect(res.headers.get('wechatpay-nonce')).toMatch(/^[0-9a-f]{32}$/);
      expect(Math.abs(Number(res.headers.get('wechatpay-timestamp')) - Date.now() / 1000)).toBeLessThan(60);
      expect(res.headers.get('request-id')).toBeTruthy();
      expect(verifies(res)).toBe(true);
      expect(verifies({ ...res, text: res.text.replace('SUCCESS', 'NOTPAY') })).toBe(false);
    });

    it('a 204 close is signed over the empty body', async () => {
      const o = await order('unpaid');
      const res = await call(`/v3/pay/partner/transactions/out-trade-no/${o.orderId}/close`, {
        body: JSON.stringify({ sp_mchid: account.spMchid, sub_mchid: account.defaultSubMchid }),
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(verifies(res)).toBe(true);
    });

    it('errors are signed by default, and not when signErrors is off', async () => {
      const missing = await call(queryPath({ orderId: 'NOSUCHORDER123' }));
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      expect(verifies(missing)).toBe(true);
      settings.signErrors = false;
      const unsigned = await call(queryPath({ orderId: 'NOSUCHORDER123' }));
      expect(unsigned.headers.get('wechatpay-signature')).toBeNull();
      expect(unsigned.headers.get('request-id')).toBeTruthy();
    });

    it.each([
      ['rate_limit', 429, { code: 'FREQUENCY_LIMITED', message: '你的操作过于频繁，请稍后再试。' }],
      ['http_500', 500, { code: 'SYSTEM_ERROR', message: '系统错误' }],
    ])('fault %s answers %i %j', async (kind, status, body) => {
      const o = await order('paid');
      await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind });
      const res = await call(queryPath(o));
      expect(res.status).toBe(status);
      expect(res.json).toEqual(body);
      expect(verifies(res)).toBe(true);
    });

    it('fault bad_signature: all four headers present, the signature does not verify', async () => {
      const o = await order('paid');
      await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'bad_signature' });
      const res = await call(queryPath(o));
      expect(res.status).toBe(200);
      expect(res.headers.get('wechatpay-signature')).toBeTruthy();
      expect(verifies(res)).toBe(false);
    });
  });

  describe('the root mount: /v3/... for SDKs that change only the host', () => {
    const atRoot = { mount: '' } as const;
    const scopeBody = JSON.stringify({ sp_mchid: account.spMchid, sub_mchid: account.defaultSubMchid });

    it('a request signed over /v3/... is answered at the root, signed like any other', async () => {
      const o = await order('paid');
      const res = await call(queryPath(o), atRoot);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ out_trade_no: o.orderId, trade_state: 'SUCCESS', amount: { total: 990 } });
      expect(verifies(res)).toBe(true);
    });

    it('each mount verifies the path it received: a /wechatpay signature at the root is 401 SIGN_ERROR', async () => {
      const o = await order('paid');
      const res = await call(queryPath(o), { ...atRoot, signTarget: `/wechatpay${queryPath(o)}` });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'SIGN_ERROR' });
    });

    it('both mounts share the orders, the faults and the request count', async () => {
      const o = await order('unpaid');
      await sb.admin('DELETE', '/requests');
      const close = `/v3/pay/partner/transactions/out-trade-no/${o.orderId}/close`;
      expect((await call(close, { ...atRoot, body: scopeBody })).status).toBe(204);
      expect((await call(queryPath(o))).json).toMatchObject({ trade_state: 'CLOSED' });
      await sb.admin('POST', '/faults', { provider: 'wechatpay', call: 'query', kind: 'http_500', count: 1 });
      expect((await call(queryPath(o), atRoot)).status).toBe(500);
      expect((await sb.admin('GET', '/requests')).routes).toEqual([
        { route: 'GET /v3/pay/partner/transactions/out-trade-no/:otn', count: 1, byStatus: { 500: 1 } },
        { route: 'GET /wechatpay/v3/pay/partner/transactions/out-trade-no/:otn', count: 1, byStatus: { 200: 1 } },
        { route: 'POST /v3/pay/partner/transactions/out-trade-no/:otn/close', count: 1, byStatus: { 204: 1 } },
      ]);
    });
  });

  describe('routes (§5)', () => {
    it('the Transaction: no transaction_id or success_time before payment; both after', async () => {
      const unpaid = await order('unpaid');
      expect((await call(queryPath(unpaid))).json).toEqual({
        sp_appid: account.spAppid,
        sp_mchid: account.spMchid,
        sub_mchid: account.defaultSubMchid,
        out_trade_no: unpaid.orderId,
        trade_type: 'NATIVE',
        trade_state: 'NOTPAY',
        trade_state_desc: '未支付',
        amount: { total: 990, currency: 'CNY' },
      });
      const paid = await order('paid');
      expect((await call(queryPath(paid))).json).toMatchObject({
        transaction_id: paid.providerOrderId,
        trade_state: 'SUCCESS',
        bank_type: 'OTHERS',
        success_time: expect.stringMatching(/\+08:00$/),
        payer: { sp_openid: expect.any(String) },
        amount: { total: 990, payer_total: 990, currency: 'CNY', payer_currency: 'CNY' },
      });
      expect(paid.providerOrderId).toMatch(/^4200\d{24}$/);
    });

    it('orders are scoped by (sp_mchid, sub_mchid): both required, any other pair finds nothing', async () => {
      const o = await order('paid');
      const noSub = await call(queryPath(o, `sp_mchid=${account.spMchid}`));
      expect(noSub.status).toBe(400);
      expect(noSub.json).toMatchObject({ code: 'PARAM_ERROR', detail: { location: 'query' } });
      expect((await call(queryPath(o, `sp_mchid=1230000999&sub_mchid=${account.defaultSubMchid}`))).status).toBe(404);
      expect((await call(queryPath(o, `sp_mchid=${account.spMchid}&sub_mchid=1900000999`))).status).toBe(404);
    });

    it('by transaction_id: found once paid, never before (it does not exist yet)', async () => {
      const paid = await order('paid');
      const byId = await call(`/v3/pay/partner/transactions/id/${paid.providerOrderId}?${scope}`);
      expect(byId.json).toMatchObject({ out_trade_no: paid.orderId, trade_state: 'SUCCESS' });
      const unpaid = await order('unpaid');
      expect((await call(`/v3/pay/partner/transactions/id/${unpaid.providerOrderId}?${scope}`)).status).toBe(404);
    });

    it('close and reverse need sp_mchid and sub_mchid in a JSON body', async () => {
      const o = await order('unpaid', { payType: 'MICROPAY' });
      for (const action of ['close', 'reverse']) {
        const path = `/v3/pay/partner/transactions/out-trade-no/${o.orderId}/${action}`;
        expect((await call(path, { body: JSON.stringify({ sp_mchid: account.spMchid }) })).json).toMatchObject({
          code: 'PARAM_ERROR',
          detail: { location: 'body' },
        });
        expect((await call(path, { body: 'sp_mchid=1230000109' })).status).toBe(400);
      }
      expect((await sb.admin('GET', `/orders/wechatpay/${o.orderId}`)).state).toBe('unpaid');
    });

    it('reverse answers the identifiers only (§5.4)', async () => {
      const o = await order('unpaid', { payType: 'MICROPAY' });
      const res = await call(`/v3/pay/partner/transactions/out-trade-no/${o.orderId}/reverse`, {
        body: JSON.stringify({ sp_mchid: account.spMchid, sub_mchid: account.defaultSubMchid }),
      });
      expect(res.json).toEqual({
        sp_appid: account.spAppid,
        sp_mchid: account.spMchid,
        sub_mchid: account.defaultSubMchid,
        out_trade_no: o.orderId,
      });
    });

    it('the Refund object (§5.6), found again by its out_refund_no with sub_mchid (§5.7)', async () => {
      const o = await order('paid');
      const body = {
        sub_mchid: account.defaultSubMchid,
        transaction_id: o.providerOrderId,
        out_refund_no: `${o.orderId}-RF1`,
        amount: { refund: 300, total: 990, currency: 'CNY' },
      };
      const made = await call('/v3/refund/domestic/refunds', { body: JSON.stringify(body) });
      expect(made.json).toMatchObject({
        refund_id: expect.stringMatching(/^\d{29}$/),
        out_refund_no: `${o.orderId}-RF1`,
        transaction_id: o.providerOrderId,
        out_trade_no: o.orderId,
        channel: 'ORIGINAL',
        status: 'SUCCESS',
        create_time: expect.stringMatching(/\+08:00$/),
        success_time: expect.stringMatching(/\+08:00$/),
        amount: { total: 990, refund: 300, payer_total: 990, payer_refund: 300, currency: 'CNY', from: [] },
      });
      const found = await call(`/v3/refund/domestic/refunds/${o.orderId}-RF1?sub_mchid=${account.defaultSubMchid}`);
      expect(found.json).toMatchObject({ refund_id: made.json.refund_id, status: 'SUCCESS' });
      expect((await call(`/v3/refund/domestic/refunds/${o.orderId}-RF1`)).json).toMatchObject({ code: 'PARAM_ERROR' });
    });

    it.each([
      ['no out_refund_no', { out_refund_no: undefined }],
      ['an out_refund_no with spaces', { out_refund_no: 'a b' }],
      ['an out_refund_no of 65 characters', { out_refund_no: 'R'.repeat(65) }],
      ['no order id', { transaction_id: undefined, out_trade_no: undefined }],
      ['a zero refund', { amount: { refund: 0, total: 990, currency: 'CNY' } }],
      ['a refund in yuan', { amount: { refund: 1.5, total: 990, currency: 'CNY' } }],
      ['another currency', { amount: { refund: 100, total: 990, currency: 'USD' } }],
      ['another total', { amount: { refund: 100, total: 991, currency: 'CNY' } }],
      ['a reason over 80 characters', { reason: '退'.repeat(81) }],
      ['no sub_mchid', { sub_mchid: undefined }],
    ])('refund with %s is 400 PARAM_ERROR and moves nothing', async (_what, change) => {
      const o = await order('paid');
      const body = {
        sub_mchid: account.defaultSubMchid,
        out_trade_no: o.orderId,
        out_refund_no: `${o.orderId}-RF1`,
        amount: { refund: 100, total: 990, currency: 'CNY' },
        ...change,
      };
      const res = await call('/v3/refund/domestic/refunds', { body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: 'PARAM_ERROR' });
      expect((await sb.admin('GET', `/orders/wechatpay/${o.orderId}`)).refunds).toHaveLength(0);
    });

    it('a transaction_id and an out_trade_no of different orders is 400 PARAM_ERROR', async () => {
      const a = await order('paid');
      const b = await order('paid');
      const body = {
        sub_mchid: account.defaultSubMchid,
        transaction_id: a.providerOrderId,
        out_trade_no: b.orderId,
        out_refund_no: `${a.orderId}-RF1`,
        amount: { refund: 100, total: 990, currency: 'CNY' },
      };
      expect((await call('/v3/refund/domestic/refunds', { body: JSON.stringify(body) })).json).toMatchObject({
        code: 'PARAM_ERROR',
      });
    });

    it('the admin API shows what creation returned: a code_url for NATIVE, the transaction_id of a paid codepay order', async () => {
      expect((await order('unpaid')).providerFields).toMatchObject({
        trade_type: 'NATIVE',
        code_url: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/),
      });
      const codepay = await order('paid', { payType: 'MICROPAY' });
      expect(codepay.providerFields).toEqual({
        sub_mchid: account.defaultSubMchid,
        out_trade_no: codepay.orderId,
        trade_type: 'MICROPAY',
        transaction_id: codepay.providerOrderId,
      });
      expect(codepay.merchantId).toBe(account.defaultSubMchid);
    });
  });
});
