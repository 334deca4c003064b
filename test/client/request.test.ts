/** The request schemas every entry point shares: each bad field is named with what to fix. */
import {
  parseCancellationRequest,
  parseListFilter,
  parseNotificationSignal,
  parseReviewResolution,
  RequestError,
  type FieldError,
} from '../../client/request.js';

const valid = {
  order: {
    provider: 'qfpay',
    merchantId: 'ZaMVg12345',
    orderId: 'A123',
    amount: 1000,
    currency: 'HKD',
    payType: '800201',
    createdAt: '2026-11-22T10:00:00+08:00',
  },
  reason: 'timeout',
};

function fieldsOf(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof RequestError) return err.fields;
    throw err;
  }
  throw new Error('expected a RequestError');
}
const fieldNames = (fn: () => unknown) =>
  fieldsOf(fn)
    .map((f) => f.field)
    .sort();

describe('cancellation request', () => {
  it('accepts a complete request unchanged', () => {
    expect(parseCancellationRequest(valid)).toEqual(valid);
  });

  it("drops the flags Rescind's client adds to a run's input, so a request read back from a run validates as sent", () => {
    expect(parseCancellationRequest({ ...valid, attributesAtStart: true, stagesAtRest: true })).toEqual(valid);
    expect(parseCancellationRequest({ ...valid, stagesAtRest: true })).toEqual(valid);
  });

  it('names every missing field at once', () => {
    const fields = fieldsOf(() => parseCancellationRequest({ order: {} }));
    expect(fields).toEqual([
      { field: 'order.provider', message: expect.stringContaining('provider is required') },
      { field: 'order.merchantId', message: 'merchantId is required' },
      { field: 'order.orderId', message: 'orderId is required' },
    ]);
  });

  it('explains a missing order and a body that is not an object', () => {
    expect(fieldsOf(() => parseCancellationRequest({}))).toEqual([
      { field: 'order', message: expect.stringContaining('order is required') },
    ]);
    expect(fieldsOf(() => parseCancellationRequest(undefined))).toEqual([
      { field: '(body)', message: expect.stringContaining('JSON object') },
    ]);
    expect(fieldsOf(() => parseCancellationRequest('cancel it'))).toEqual([
      { field: '(body)', message: expect.stringContaining('JSON object') },
    ]);
  });

  it('rejects an unknown provider, listing the known ones', () => {
    expect(fieldsOf(() => parseCancellationRequest({ order: { ...valid.order, provider: 'stripe' } }))).toEqual([
      { field: 'order.provider', message: 'provider "stripe" is unknown: use one of payjs, qfpay, wechatpay, pingpp' },
    ]);
  });

  it.each([
    [-100, 'amount must be greater than 0'],
    [0, 'amount must be greater than 0'],
    [10.5, 'amount must be a whole number of minor units (fen / cents)'],
    ['1000', 'amount must be a number in minor units (e.g. 1000 for 10.00)'],
    [1e13, 'amount is too large'],
  ])('rejects amount %p', (amount, message) => {
    expect(fieldsOf(() => parseCancellationRequest({ order: { ...valid.order, amount } }))).toEqual([
      { field: 'order.amount', message },
    ]);
  });

  it.each([
    ['x'.repeat(65), 'too long'],
    ['A 1', 'a space'],
    ['A:1', 'a colon, which the workflow id uses'],
    ['', 'empty'],
  ])('rejects orderId %p (%s)', (orderId) => {
    expect(fieldNames(() => parseCancellationRequest({ order: { ...valid.order, orderId } }))).toEqual([
      'order.orderId',
    ]);
  });

  it('rejects a createdAt that is not ISO-8601 and a currency that is not a 3-letter code', () => {
    expect(
      fieldNames(() =>
        parseCancellationRequest({ order: { ...valid.order, createdAt: '22/11/2026', currency: 'HK$' } }),
      ),
    ).toEqual(['order.createdAt', 'order.currency']);
  });

  it('requires providerOrderId for payjs and pingpp, even alongside other errors', () => {
    for (const provider of ['payjs', 'pingpp']) {
      const fields = fieldsOf(() =>
        parseCancellationRequest({ order: { provider, merchantId: 'm1', orderId: 'o1', amount: 1 } }),
      );
      expect(fields).toEqual([
        { field: 'order.providerOrderId', message: expect.stringContaining(`required for ${provider}`) },
      ]);
      expect(fieldNames(() => parseCancellationRequest({ order: { provider, orderId: 'o1', amount: -1 } }))).toEqual([
        'order.amount',
        'order.merchantId',
        'order.providerOrderId',
      ]);
    }
    expect(
      parseCancellationRequest({ order: { provider: 'payjs', merchantId: 'm1', orderId: 'o1', providerOrderId: 'p1' } })
        .order.providerOrderId,
    ).toBe('p1');
  });

  it('names unknown fields instead of dropping them (a typo must not pass silently)', () => {
    expect(
      fieldsOf(() => parseCancellationRequest({ ...valid, order: { ...valid.order, ammount: 5 }, secret: 'x' })),
    ).toEqual(
      expect.arrayContaining([
        { field: 'order.ammount', message: 'ammount is not a known field' },
        { field: 'secret', message: 'secret is not a known field' },
      ]),
    );
  });

  it('treats JSON null as "not given": optional fields pass, required ones are reported missing', () => {
    expect(
      parseCancellationRequest({
        order: { ...valid.order, currency: null, payType: null },
        reason: null,
        cadence: null,
      }),
    ).toEqual({ order: { ...valid.order, currency: undefined, payType: undefined } });
    expect(fieldsOf(() => parseCancellationRequest({ order: { ...valid.order, orderId: null } }))).toEqual([
      { field: 'order.orderId', message: 'orderId is required' },
    ]);
    expect(
      fieldNames(() =>
        parseCancellationRequest({
          order: { provider: 'pingpp', merchantId: 'app_1', orderId: 'o1', providerOrderId: null },
        }),
      ),
    ).toEqual(['order.providerOrderId']);
  });

  it('checks the cadence override', () => {
    expect(fieldsOf(() => parseCancellationRequest({ ...valid, cadence: { confirmDelayMs: 5 } }))).toEqual([
      { field: 'cadence.confirmDelayMs', message: 'confirmDelayMs must be at least 100 ms' },
    ]);
  });
});

describe('review resolution', () => {
  it('accepts retry and mark_resolved with a note', () => {
    expect(parseReviewResolution({ action: 'retry' })).toEqual({ action: 'retry' });
    expect(parseReviewResolution({ action: 'mark_resolved', note: 'done by hand', operator: 'ops' })).toEqual({
      action: 'mark_resolved',
      note: 'done by hand',
      operator: 'ops',
    });
  });

  it('names the problem', () => {
    expect(fieldsOf(() => parseReviewResolution({ action: 'mark_resolved', note: '  ' }))).toEqual([
      { field: 'note', message: 'note is required with mark_resolved: say what was done' },
    ]);
    expect(fieldsOf(() => parseReviewResolution({ action: 'undo' }))).toEqual([
      { field: 'action', message: expect.stringContaining('"retry"') },
    ]);
    expect(fieldsOf(() => parseReviewResolution({}))).toEqual([
      { field: 'action', message: expect.stringContaining('"mark_resolved"') },
    ]);
  });
});

describe('list filter and notification signal', () => {
  it('accepts known values and rejects unknown ones by name', () => {
    expect(parseListFilter({ provider: 'wechatpay', stage: 'needs_review', outcome: 'refunded', limit: 5 })).toEqual({
      provider: 'wechatpay',
      stage: 'needs_review',
      outcome: 'refunded',
      limit: 5,
    });
    expect(
      fieldNames(() => parseListFilter({ provider: 'x', stage: 'y', outcome: 'z', merchantId: "a' OR 1=1", limit: 0 })),
    ).toEqual(['limit', 'merchantId', 'outcome', 'provider', 'stage']);
  });

  it('validates a notification', () => {
    expect(fieldNames(() => parseNotificationSignal({ provider: 'qfpay', event: 'maybe', receivedAt: 'now' }))).toEqual(
      ['event', 'receivedAt'],
    );
  });
});
