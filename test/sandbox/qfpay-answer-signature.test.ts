/**
 * How the QFPay simulator signs its answers (docs/providers/qfpay.md §2.2): by default MD5 over the raw body
 * without X-QF-SIGNTYPE (G-JP §3.4); as set, over the sorted fields (the response-format page), with SHA256
 * echoed from the request, with or without X-QF-SIGNTYPE. Its own signing is checked against the Q6 vectors.
 */
import { qfpaySignBody, qfpaySignRequest, qfpaySignSortedFields } from '../../activities/providers/qfpay/signer.js';
import { SANDBOX_ACCOUNTS } from '../../sandbox/credentials.js';
import { qfpaySandboxSettings, resetQfpaySandboxSettings } from '../../sandbox/providers/qfpay/index.js';
import { simSignSortedFields, simSortedFieldsString } from '../../sandbox/providers/qfpay/signing.js';
import { Q6 } from '../activities/providers/qfpay/answer-vectors.js';
import { QKEY } from '../activities/providers/qfpay/vectors.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const ACCOUNT = SANDBOX_ACCOUNTS.qfpay;

describe('simulator sorted-fields signing: §2.4 Q6', () => {
  it('matches the vectors computed with Python', () => {
    expect(simSortedFieldsString(Q6.refund.answer, QKEY)).toBe(Q6.refund.string);
    expect(simSignSortedFields(Q6.refund.answer, QKEY, 'MD5')).toBe(Q6.refund.md5);
    const query = JSON.parse(Q6.query.body) as Record<string, unknown>;
    expect(simSortedFieldsString(query, QKEY)).toBe(Q6.query.string);
    expect(simSignSortedFields(query, QKEY, 'SHA256')).toBe(Q6.query.sha256);
  });
});

describe('answer signatures as set', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  afterEach(() => resetQfpaySandboxSettings());

  const query = async (c: { sha256?: boolean; appCode?: string } = {}) => {
    const params = { mchid: ACCOUNT.mchid, out_trade_no: 'X1' };
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-qf-appcode': c.appCode ?? ACCOUNT.appCode,
      'x-qf-sign': qfpaySignRequest(params, ACCOUNT.clientKey, c.sha256 ? 'SHA256' : 'MD5'),
    };
    if (c.sha256) headers['x-qf-signtype'] = 'SHA256';
    const body = new URLSearchParams(params).toString();
    const res = await fetch(`${sb.sandbox.url}/qfpay/trade/v1/query`, { method: 'POST', headers, body });
    const raw = await res.text();
    const [sign, declared] = [res.headers.get('x-qf-sign'), res.headers.get('x-qf-signtype')];
    return { raw, json: JSON.parse(raw) as Record<string, unknown>, sign, declared };
  };

  it('default: MD5 over the raw body, no X-QF-SIGNTYPE, even to a SHA256 request', async () => {
    for (const sha256 of [false, true]) {
      const a = await query({ sha256 });
      expect([a.sign, a.declared]).toEqual([qfpaySignBody(a.raw, ACCOUNT.clientKey, 'MD5'), null]);
    }
  });

  it('SHA256 echoed from the request: declared in X-QF-SIGNTYPE, or not when so set', async () => {
    qfpaySandboxSettings.responseSignType = 'request';
    const declared = await query({ sha256: true });
    expect([declared.sign, declared.declared]).toEqual([
      qfpaySignBody(declared.raw, ACCOUNT.clientKey, 'SHA256'),
      'SHA256',
    ]);
    qfpaySandboxSettings.declareResponseSignType = false;
    const quiet = await query({ sha256: true });
    expect([quiet.sign, quiet.declared]).toEqual([qfpaySignBody(quiet.raw, ACCOUNT.clientKey, 'SHA256'), null]);
  });

  it('sorted fields: the signature covers the parsed fields, rows included; refusals are signed the same way', async () => {
    qfpaySandboxSettings.responseSignedOver = 'sorted_fields';
    const a = await query();
    expect(a.sign).toBe(qfpaySignSortedFields(a.json, ACCOUNT.clientKey, 'MD5'));
    expect(a.sign).not.toBe(qfpaySignBody(a.raw, ACCOUNT.clientKey, 'MD5'));
    qfpaySandboxSettings.responseSignType = 'request';
    const sha = await query({ sha256: true });
    expect([sha.sign, sha.declared]).toEqual([qfpaySignSortedFields(sha.json, ACCOUNT.clientKey, 'SHA256'), 'SHA256']);
    const stranger = await query({ appCode: 'NOSUCHAPP' });
    expect([stranger.json.respcd, stranger.sign]).toEqual(['1108', null]);
  });

  it('the switches are shown by /_admin/settings', async () => {
    const { qfpay } = await sb.admin('GET', '/settings');
    expect(qfpay).toMatchObject({
      responseSignType: 'MD5',
      responseSignedOver: 'raw_body',
      declareResponseSignType: true,
    });
  });
});
