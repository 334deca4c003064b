/**
 * QFPay's Hong Kong pay types in the policy (docs/policy.md, "Pay types no call cancels"): no reverse or close is
 * ever decided for them, not even as the last resort; unpaid, the run waits out the payment window and lets a query
 * decide; paid, it refunds where the pay type allows refunds and otherwise hands the case over with what to do.
 */
import type { Observation, OrderRef } from '../../domain/index.js';
import { decide, freshMemory, type Action, type PolicyMemory } from '../../workflows/policy.js';
import { QFPAY_HK_PAY_TYPES } from '../../workflows/qfpay-pay-types.js';
import { PROVIDER_RULES, QFPAY_RULES_BEFORE_HK_PAY_TYPES, type ProviderRules } from '../../workflows/rules.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const MINUTE = 60_000;
const rules = PROVIDER_RULES.qfpay;
const WINDOW = 120 * MINUTE;
/** The time QFPay is given after the window to show the order expired. */
const SETTLE = rules.confirmAttempts * rules.confirmDelayMs;
const HK = Object.keys(QFPAY_HK_PAY_TYPES);

const order = (payType: string, createdAgoMs: number | null = MINUTE): OrderRef => ({
  provider: 'qfpay',
  merchantId: 'm1',
  orderId: 'ORDER1',
  providerOrderId: 'P1',
  amount: 1000,
  payType,
  createdAt: createdAgoMs === null ? undefined : new Date(NOW - createdAgoMs).toISOString(),
});
const obs = (o: Partial<Observation> & { status: Observation['status'] }): Observation =>
  ({ providerCode: 'code', ...o }) as Observation;
const mem = (m: Partial<PolicyMemory> = {}): PolicyMemory => ({ ...freshMemory(), ...m });
const run = (ord: OrderRef, o: Observation, m = mem(), r: ProviderRules = rules): Action => decide(r, ord, o, m, NOW);

describe('QFPay Hong Kong pay types get no reverse or close', () => {
  it.each(HK)('%s unpaid or still paying → wait until its payment window has ended, then ask again', (payType) => {
    for (const status of ['unpaid', 'paying'] as const) {
      expect(run(order(payType, 30 * MINUTE), obs({ status }))).toEqual({
        type: 'wait',
        ms: WINDOW - 30 * MINUTE + SETTLE,
        why: expect.stringContaining(`qfpay cannot reverse or close pay type ${payType}`),
      });
    }
  });

  it.each(HK)('%s of unknown state after every query: review, never the last-resort reverse', (payType) => {
    const a = run(order(payType), obs({ status: 'unknown', reason: 'bad signature' }), mem({ unknownStreak: 5 }));
    expect(a).toEqual({
      type: 'review',
      reason: expect.stringContaining(`reverse is not possible: qfpay cannot reverse or close pay type ${payType}`),
    });
  });

  it('still unpaid once the window has ended: review saying what the operator must do', () => {
    const a = run(order('805801', WINDOW + SETTLE), obs({ status: 'unpaid' }));
    expect(a).toEqual({
      type: 'review',
      reason: expect.stringMatching(
        /^unpaid 2 h after creation, past its 2 h payment window; qfpay cannot reverse or close pay type 805801 \(PayMe MPM\): check in the merchant portal whether it can still be paid; once it cannot, mark resolved; if it was paid, retry/,
      ),
    });
  });

  it('FPS still unpaid after its window: the review says a payment must be returned by other means', () => {
    const a = run(order('802001', 3 * WINDOW), obs({ status: 'paying' }));
    expect(a).toMatchObject({ type: 'review', reason: expect.stringContaining('return the money by other means') });
  });

  it('without createdAt the end of the window is unknown: review', () => {
    expect(run(order('803701', null), obs({ status: 'unpaid' }))).toEqual({
      type: 'review',
      reason: expect.stringContaining("without the order's creation time (createdAt)"),
    });
  });

  it('expired at QFPay once the window is over → already_closed, nothing written', () => {
    expect(run(order('802001', WINDOW + SETTLE), obs({ status: 'closed', reason: 'expired' }))).toEqual({
      type: 'finish',
      outcome: { kind: 'already_closed', reason: 'expired', providerCode: 'code' },
    });
  });
});

describe('paid Hong Kong orders', () => {
  it.each(HK.filter((p) => QFPAY_HK_PAY_TYPES[p]!.refundable))('%s paid → refunded', (payType) => {
    expect(run(order(payType), obs({ status: 'paid', amount: 1000 }))).toEqual({
      type: 'refund',
      amount: 1000,
      sequence: 1,
    });
  });

  it('FPS paid → review: QFPay refunds no FPS payment, so no refund is sent', () => {
    expect(run(order('802001'), obs({ status: 'paid', amount: 1000 }))).toEqual({
      type: 'review',
      reason:
        'paid by pay type 802001 (FPS MPM), which qfpay cannot refund: return the money to the payer by other means (e.g. a bank transfer), then mark resolved',
    });
  });
});

describe('runs recorded before the change keep their rules (HK_PAY_TYPES_PATCH)', () => {
  it('FPS: review while unpaid, refund when paid, reverse as the last resort', () => {
    const old = QFPAY_RULES_BEFORE_HK_PAY_TYPES;
    expect(run(order('802001'), obs({ status: 'unpaid' }), mem(), old).type).toBe('review');
    expect(run(order('802001'), obs({ status: 'paid', amount: 1000 }), mem(), old).type).toBe('refund');
    expect(run(order('802001'), obs({ status: 'unknown', reason: 'x' }), mem({ unknownStreak: 5 }), old).type).toBe(
      'reverse',
    );
  });
  it('the other Hong Kong pay types were reversed or closed', () => {
    const old = QFPAY_RULES_BEFORE_HK_PAY_TYPES;
    expect(run(order('801501'), obs({ status: 'unpaid' }), mem(), old).type).toBe('reverse');
    expect(run(order('805808'), obs({ status: 'unpaid' }), mem(), old).type).toBe('reverse');
    expect(run(order('805801'), obs({ status: 'unpaid' }), mem(), old).type).toBe('close');
  });
});
