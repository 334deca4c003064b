/**
 * QFPay's Hong Kong pay types as data (workflows/qfpay-pay-types.ts, docs/providers/qfpay.md §3.2): every entry
 * cites its source, the rules derive from the table alone, and only the pay types QFPay labels for Hong Kong
 * merchants lose their cancel call.
 */
import {
  QFPAY_CANCEL_RULE_URL,
  QFPAY_HK_PAY_TYPES,
  QFPAY_LONGEST_QR_VALIDITY_MS,
  QFPAY_PAY_TYPES_URL,
  QFPAY_PAYMENT_PARAMS_URL,
  QFPAY_REVERSAL_B_URL,
  QFPAY_REVERSAL_C_URL,
  qfpayHkPayType,
} from '../../workflows/qfpay-pay-types.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';

const entries = Object.entries(QFPAY_HK_PAY_TYPES);

describe('the table', () => {
  it('lists the 16 Hong Kong pay types of the pay-type table: Alipay HK, WeChat Pay HK, PayMe, UnionPay HK, FPS, Octopus', () => {
    expect(Object.keys(QFPAY_HK_PAY_TYPES).sort()).toEqual(
      [
        ...['801501', '801510', '801512', '801514'],
        ...['801008', '801010'],
        ...['805801', '805808', '805812', '805814'],
        ...['800712', '800714'],
        '802001',
        ...['803701', '803712', '803714'],
      ].sort(),
    );
  });

  it.each(entries)('%s cites the pay-type table row and the no-cancel note', (payType, e) => {
    expect(e.source.url).toBe(QFPAY_PAY_TYPES_URL);
    expect(e.source.where).toContain(`row ${payType}`);
    expect(e.source.where).toContain(QFPAY_CANCEL_RULE_URL);
  });

  it.each(entries)('%s: a documented window cites expired_time, an inferred one says why', (_payType, e) => {
    expect(e.paymentWindowMs).toBe(QFPAY_LONGEST_QR_VALIDITY_MS);
    if (e.windowBasis === 'documented') {
      expect(e.source.where).toContain(QFPAY_PAYMENT_PARAMS_URL);
      expect(e.inference).toBeUndefined();
    } else {
      expect(e.inference).toMatch(/no payment window is documented/);
    }
  });

  it('expired_time is documented for the Alipay HK and WeChat Pay HK pay types it lists, and only those', () => {
    const documented = entries.filter(([, e]) => e.windowBasis === 'documented').map(([p]) => p);
    expect(documented.sort()).toEqual(['801010', '801501', '801510', '801512']);
  });

  it('only FPS is marked "does not support refunds" (note ***)', () => {
    expect(entries.filter(([, e]) => !e.refundable).map(([p]) => p)).toEqual(['802001']);
    expect(QFPAY_HK_PAY_TYPES['802001']!.source.where).toContain('***');
  });

  it('newer pages that name a Hong Kong pay type for reversal or close are recorded, not followed', () => {
    const contradicted = Object.fromEntries(
      entries.filter(([, e]) => e.contradictedBy).map(([p, e]) => [p, e.contradictedBy!.url]),
    );
    expect(contradicted).toEqual({
      '801501': QFPAY_REVERSAL_B_URL,
      '801008': QFPAY_REVERSAL_B_URL,
      '801514': QFPAY_REVERSAL_C_URL,
    });
  });

  it('looks up own keys only', () => {
    expect(qfpayHkPayType('802001')?.name).toBe('FPS MPM');
    expect(qfpayHkPayType('toString')).toBeUndefined();
    expect(qfpayHkPayType(undefined)).toBeUndefined();
    expect(qfpayHkPayType('800201')).toBeUndefined();
  });
});

describe('PROVIDER_RULES.qfpay reads the table', () => {
  const rules = PROVIDER_RULES.qfpay;

  it.each(entries)('%s: no cancel call, and its window and refund rule as in the table', (payType, e) => {
    expect(rules.cancelCall.byPayType[payType]).toBeNull();
    expect(rules.noCancelCall?.[payType]).toEqual({
      name: e.name,
      paymentWindowMs: e.paymentWindowMs,
      refundable: e.refundable,
    });
  });

  it('every pay type without a cancel call is in the table', () => {
    const none = Object.entries(rules.cancelCall.byPayType).filter(([, call]) => call === null);
    expect(none.map(([p]) => p).sort()).toEqual(Object.keys(QFPAY_HK_PAY_TYPES).sort());
    expect(Object.keys(rules.noCancelCall ?? {}).sort()).toEqual(Object.keys(QFPAY_HK_PAY_TYPES).sort());
  });

  it.each([
    ['800008', 'reverse'],
    ['800108', 'reverse'],
    ['800208', 'reverse'],
    ['800708', 'reverse'],
    ['800101', 'reverse'],
    ['800201', 'close'],
    ['800212', 'close'],
  ])('pay types for merchants anywhere keep their call: %s → %s', (payType, call) => {
    expect(rules.cancelCall.byPayType[payType] ?? rules.cancelCall.default).toBe(call);
  });

  it('no other provider has pay types without a cancel call by table', () => {
    for (const p of ['payjs', 'wechatpay', 'pingpp'] as const) expect(PROVIDER_RULES[p].noCancelCall).toBeUndefined();
  });
});
