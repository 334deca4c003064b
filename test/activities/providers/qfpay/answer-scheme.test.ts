/**
 * Reading a QFPay answer under the configured scheme (docs/providers/qfpay.md §2.2): the raw-body reading
 * against QFPay's own vector (Q2), the sorted-fields reading against vectors computed with Python hashlib (Q6),
 * and the X-QF-SIGNTYPE header never choosing the hash.
 */
import { QFPAY_DEFAULT_ANSWER_SCHEME, readAnswer } from '../../../../activities/providers/qfpay/client.js';
import { qfpayEnv } from '../../../../activities/providers/qfpay/config.js';
import {
  qfpaySignBody,
  qfpaySignSortedFields,
  qfpaySortedFieldsString,
} from '../../../../activities/providers/qfpay/signer.js';
import { Q6 } from './answer-vectors.js';
import { Q2, QKEY } from './vectors.js';

describe('the sorted-fields reading (Q6)', () => {
  it('sorts the names, keeps strings raw, writes nested rows as compact JSON with sorted keys', () => {
    expect(qfpaySortedFieldsString(Q6.refund.answer, QKEY)).toBe(Q6.refund.string);
    expect(qfpaySignSortedFields(Q6.refund.answer, QKEY, 'MD5')).toBe(Q6.refund.md5);
    expect(qfpaySignSortedFields(Q6.refund.answer, QKEY, 'SHA256')).toBe(Q6.refund.sha256);
    const query = JSON.parse(Q6.query.body) as Record<string, unknown>;
    expect(qfpaySortedFieldsString(query, QKEY)).toBe(Q6.query.string);
    expect(qfpaySignSortedFields(query, QKEY, 'MD5')).toBe(Q6.query.md5);
    expect(qfpaySignSortedFields(query, QKEY, 'SHA256')).toBe(Q6.query.sha256);
  });
});

describe('readAnswer under a configured scheme', () => {
  const q2 = Buffer.from(Q2.body);
  const query = Buffer.from(Q6.query.body);
  const SORTED_MD5 = { over: 'sorted_fields', type: 'MD5' } as const;
  const SORTED_SHA256 = { over: 'sorted_fields', type: 'SHA256' } as const;

  it('the default is the documented one: MD5 over the raw body, also as configured by default', () => {
    expect(QFPAY_DEFAULT_ANSWER_SCHEME).toEqual({ over: 'raw_body', type: 'MD5' });
    const v = qfpayEnv.variables;
    expect([v.QFPAY_ANSWER_SIGNED_OVER.parse(undefined), v.QFPAY_ANSWER_SIGN_TYPE.parse(undefined)]).toEqual([
      'raw_body',
      'MD5',
    ]);
    expect(readAnswer(q2, Q2.key, Q2.md5, undefined)).toMatchObject({
      readable: true,
      signature: 'valid',
      json: { respcd: '0000' },
    });
  });

  it('each scheme accepts its own signature and nothing else', () => {
    const rawSha = qfpaySignBody(q2, Q2.key, 'SHA256');
    expect(readAnswer(q2, Q2.key, rawSha, undefined, { over: 'raw_body', type: 'SHA256' })).toMatchObject({
      signature: 'valid',
    });
    expect(readAnswer(q2, Q2.key, Q2.md5, undefined, { over: 'raw_body', type: 'SHA256' })).toMatchObject({
      signature: 'invalid',
    });
    expect(readAnswer(q2, Q2.key, rawSha, undefined, { over: 'raw_body', type: 'MD5' })).toMatchObject({
      signature: 'invalid',
    });
    expect(readAnswer(query, QKEY, Q6.query.md5, undefined, SORTED_MD5)).toMatchObject({
      signature: 'valid',
      json: { page_size: 10 },
    });
    expect(readAnswer(query, QKEY, Q6.query.sha256, 'SHA256', SORTED_SHA256)).toMatchObject({ signature: 'valid' });
    expect(readAnswer(query, QKEY, Q6.query.md5, undefined)).toMatchObject({ signature: 'invalid' });
    expect(readAnswer(query, QKEY, qfpaySignBody(query, QKEY), undefined, SORTED_MD5)).toMatchObject({
      signature: 'invalid',
    });
  });

  it('a changed row breaks the sorted-fields signature (the rows are signed too)', () => {
    const changed = Buffer.from(Q6.query.body.replace('"respcd": "0000", "errmsg"', '"respcd": "1143", "errmsg"'));
    expect(readAnswer(changed, QKEY, Q6.query.md5, undefined, SORTED_MD5)).toMatchObject({ signature: 'invalid' });
  });

  it('X-QF-SIGNTYPE never picks the hash: another declared type is invalid, with the reason; absent means the configured one', () => {
    const rawSha = qfpaySignBody(q2, Q2.key, 'SHA256');
    expect(readAnswer(q2, Q2.key, rawSha, 'SHA256')).toEqual({
      readable: true,
      json: expect.any(Object),
      signature: 'invalid',
      hint: 'it declares X-QF-SIGNTYPE SHA256; QFPAY_ANSWER_SIGN_TYPE is MD5',
    });
    expect(readAnswer(q2, Q2.key, Q2.md5, 'SHA256')).toMatchObject({ signature: 'invalid' });
    expect(readAnswer(q2, Q2.key, Q2.md5, 'sha1')).toMatchObject({
      signature: 'invalid',
      hint: expect.stringContaining('SHA1'),
    });
    expect(readAnswer(q2, Q2.key, Q2.md5, ' md5 ')).toMatchObject({ signature: 'valid' });
    expect(readAnswer(q2, Q2.key, undefined, undefined)).toMatchObject({ signature: 'missing' });
  });
});
