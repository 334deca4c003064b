/** The adapter's QFPay signer against the published digests Q0–Q2 and the local vectors Q3–Q5 (docs/providers/qfpay.md §2.4). */
import { readAnswer } from '../../../../activities/providers/qfpay/client.js';
import {
  qfpaySignBody,
  qfpaySigningString,
  qfpaySignRequest,
  qfpayVerifyBody,
} from '../../../../activities/providers/qfpay/signer.js';
import { qfpayTime, qfpayTimeToIso } from '../../../../activities/providers/qfpay/time.js';
import { parsePairs, Q0, Q1, Q2, Q3, Q4, Q5, QKEY } from './vectors.js';

describe('request signature', () => {
  it('Q0: the 2016 official vector, including the empty channel_type', () => {
    expect(qfpaySignRequest(parsePairs(Q0.line), '')).toBe(Q0.md5);
  });

  it('Q1: the 2017 official vector (CJK values, raw UTF-8)', () => {
    expect(qfpaySignRequest(parsePairs(Q1.params), Q1.key)).toBe(Q1.md5);
    expect(qfpaySignRequest(parsePairs(Q1.params), Q1.key, 'MD5')).toBe(Q1.md5);
  });

  it('Q3: refund request, MD5 and SHA256, with the exact signing string', () => {
    expect(qfpaySigningString(Q3.params, QKEY)).toBe(Q3.string);
    expect(qfpaySignRequest(Q3.params, QKEY, 'MD5')).toBe(Q3.md5);
    expect(qfpaySignRequest(Q3.params, QKEY, 'SHA256')).toBe(Q3.sha256);
  });

  it('Q4: reversal without mchid; parameter order does not matter', () => {
    expect(qfpaySigningString(Q4.params, QKEY)).toBe(Q4.string);
    const reordered = { txdtm: Q4.params.txdtm, txamt: Q4.params.txamt, out_trade_no: Q4.params.out_trade_no };
    expect(qfpaySignRequest(reordered, QKEY)).toBe(Q4.md5);
  });

  it('sorts names, not joined pairs (a before a1)', () => {
    expect(qfpaySigningString({ a1: '2', a: '1' }, 'K')).toBe('a=1&a1=2K');
  });
});

describe('response and notification signature', () => {
  it('Q2: the official response vector over the raw body', () => {
    expect(qfpaySignBody(Q2.body, Q2.key)).toBe(Q2.md5);
    expect(qfpayVerifyBody(Buffer.from(Q2.body), Q2.key, Q2.md5)).toBe(true);
    expect(qfpayVerifyBody(Q2.body, Q2.key, Q2.md5.toLowerCase())).toBe(true);
  });

  it('Q5: the notification body; the compact re-serialisation has another digest and does not verify', () => {
    expect(qfpaySignBody(Q5.body, QKEY)).toBe(Q5.md5);
    const compact = JSON.stringify(Q5.object);
    expect(qfpaySignBody(compact, QKEY)).toBe(Q5.compactMd5);
    expect(qfpayVerifyBody(compact, QKEY, Q5.md5)).toBe(false);
  });

  it('refuses a missing, truncated or other-key signature', () => {
    expect(qfpayVerifyBody(Q2.body, Q2.key, undefined)).toBe(false);
    expect(qfpayVerifyBody(Q2.body, Q2.key, '')).toBe(false);
    expect(qfpayVerifyBody(Q2.body, Q2.key, Q2.md5.slice(0, 31))).toBe(false);
    expect(qfpayVerifyBody(Q2.body, QKEY, Q2.md5)).toBe(false);
    expect(qfpayVerifyBody(`${Q2.body} `, Q2.key, Q2.md5)).toBe(false);
  });
});

describe('reading an answer', () => {
  const raw = Buffer.from(Q2.body);
  it('valid, invalid and missing signatures; SHA256 only when configured (the declared type never picks it)', () => {
    expect(readAnswer(raw, Q2.key, Q2.md5, undefined)).toMatchObject({
      readable: true,
      signature: 'valid',
      json: { respcd: '0000' },
    });
    expect(readAnswer(raw, Q2.key, Q2.md5, 'md5')).toMatchObject({ signature: 'valid' });
    expect(readAnswer(raw, QKEY, Q2.md5, undefined)).toMatchObject({ readable: true, signature: 'invalid' });
    expect(readAnswer(raw, Q2.key, undefined, undefined)).toMatchObject({ readable: true, signature: 'missing' });
    const sha256 = qfpaySignBody(raw, Q2.key, 'SHA256');
    expect(readAnswer(raw, Q2.key, sha256, 'SHA256', { over: 'raw_body', type: 'SHA256' })).toMatchObject({
      signature: 'valid',
    });
    expect(readAnswer(raw, Q2.key, sha256, 'SHA256')).toMatchObject({ signature: 'invalid' });
    // An MD5 digest presented as SHA256, or an algorithm we do not know, is not valid.
    expect(readAnswer(raw, Q2.key, Q2.md5, 'SHA256')).toMatchObject({ signature: 'invalid' });
    expect(readAnswer(raw, Q2.key, Q2.md5, 'SHA1')).toMatchObject({ signature: 'invalid' });
  });
  it('bodies that are not a JSON object are unreadable', () => {
    expect(readAnswer(Buffer.from('<html>'), QKEY, undefined, undefined)).toEqual({
      readable: false,
      why: 'body is not JSON',
    });
    expect(readAnswer(Buffer.from('[1]'), QKEY, undefined, undefined)).toEqual({
      readable: false,
      why: 'body is not a JSON object',
    });
  });
});

describe('QFPay times (Hong Kong, UTC+8)', () => {
  it('formats and reads back', () => {
    expect(qfpayTime(new Date('2019-12-27T02:39:39.999Z'))).toBe('2019-12-27 10:39:39');
    expect(qfpayTime(new Date('2020-03-05T16:50:30Z'))).toBe('2020-03-06 00:50:30');
    expect(qfpayTimeToIso('2019-12-27 10:39:39')).toBe('2019-12-27T10:39:39+08:00');
    expect(Date.parse(qfpayTimeToIso('2019-12-27 10:39:39')!)).toBe(Date.parse('2019-12-27T02:39:39Z'));
    expect(qfpayTimeToIso('')).toBeUndefined();
    expect(qfpayTimeToIso(null)).toBeUndefined();
    expect(qfpayTimeToIso('2019/12/27')).toBeUndefined();
  });
});
