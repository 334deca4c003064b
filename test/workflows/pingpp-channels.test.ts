/**
 * The Ping++ reverse channel table (workflows/pingpp-channels.ts, docs/providers/pingpp.md §4.2): every channel of
 * the reverse guide is there, every entry says where it comes from, the documented windows are as the 撤销 page
 * states them, and the policy reads Ping++'s rules from this table, a channel outside it never reversed.
 */
import type { Observation, OrderRef } from '../../domain/index.js';
import { decide, freshMemory, type PolicyMemory } from '../../workflows/policy.js';
import {
  PINGPP_CHARGE_URL,
  PINGPP_REVERSE_API_URL,
  PINGPP_REVERSE_CHANNELS,
  PINGPP_REVERSE_GUIDE_URL,
  pingppReverseChannel,
  reverseWindowOpen,
  type PingppReverseWindow,
} from '../../workflows/pingpp-channels.js';
import { PROVIDER_RULES } from '../../workflows/rules.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (beijing: string): number => Date.parse(`${beijing}+08:00`);

/** The channels the reverse guide accepts (seed 004, PINGPP_REVERSE_GUIDE_URL), in its order. */
const SEED_CHANNELS = [
  'wx_pub_scan',
  'cb_wx_pub_scan',
  'alipay_scan',
  'cb_alipay_scan',
  'upacp_scan',
  'isv_scan',
  'isv_wap',
  'isv_qr',
];
/** The channels only the newer 撤销 revision adds. */
const NEWER_CHANNELS = [
  'alipay',
  'alipay_qr',
  'alipay_lite',
  'upacp',
  'upacp_pc',
  'upacp_wap',
  'wx',
  'wx_wap',
  'wx_lite',
  'wx_pub',
  'wx_pub_qr',
];

const UNIONPAY_DAY: PingppReverseWindow = { kind: 'same_day', dayEndsAtHour: 23 };
const CALENDAR_DAY: PingppReverseWindow = { kind: 'same_day', dayEndsAtHour: 24 };

describe('the table (REV, both revisions)', () => {
  it('holds the 8 channels of the seed and the 11 of the newer revision, nothing else', () => {
    expect(Object.keys(PINGPP_REVERSE_CHANNELS).sort()).toEqual([...SEED_CHANNELS, ...NEWER_CHANNELS].sort());
    for (const c of SEED_CHANNELS)
      expect(PINGPP_REVERSE_CHANNELS[c]).toMatchObject({ listedIn: 'both', reversible: 'paid_or_unpaid' });
    for (const c of NEWER_CHANNELS)
      expect(PINGPP_REVERSE_CHANNELS[c]).toMatchObject({ listedIn: 'newer', reversible: 'unpaid_only' });
  });

  it.each(Object.entries(PINGPP_REVERSE_CHANNELS))(
    '%s names its source, and an inferred window says why',
    (_channel, entry) => {
      expect([PINGPP_REVERSE_API_URL, PINGPP_REVERSE_GUIDE_URL]).toContain(entry.source.url);
      expect(entry.source.where.length).toBeGreaterThan(10);
      expect(entry.windowRule.length).toBeGreaterThan(10);
      if (entry.windowBasis === 'inferred') expect(entry.inference).toMatch(/no window stated/);
      else expect(entry.inference).toBeUndefined();
    },
  );

  it.each<[string, PingppReverseWindow]>([
    ['wx_pub_scan', { kind: 'elapsed', ms: 7 * DAY }],
    ['cb_wx_pub_scan', { kind: 'elapsed', ms: 7 * DAY }],
    ['alipay_scan', { kind: 'elapsed', ms: DAY }],
    ['upacp_scan', UNIONPAY_DAY],
    ['upacp', UNIONPAY_DAY],
    ['upacp_pc', UNIONPAY_DAY],
    ['upacp_wap', UNIONPAY_DAY],
    ['isv_scan', CALENDAR_DAY],
    ['isv_wap', CALENDAR_DAY],
    ['isv_qr', CALENDAR_DAY],
  ])('%s: the documented window', (channel, window) => {
    expect(PINGPP_REVERSE_CHANNELS[channel]).toMatchObject({ window, windowBasis: 'documented' });
  });

  it('the windows Ping++ does not state are marked inferred, and none is longer than the charge stays payable', () => {
    const inferred = Object.entries(PINGPP_REVERSE_CHANNELS).filter(([, e]) => e.windowBasis === 'inferred');
    expect(inferred.map(([c]) => c).sort()).toEqual([
      'alipay',
      'alipay_lite',
      'alipay_qr',
      'cb_alipay_scan',
      'wx',
      'wx_lite',
      'wx_pub',
      'wx_pub_qr',
      'wx_wap',
    ]);
    expect(PINGPP_REVERSE_CHANNELS.cb_alipay_scan!.window).toEqual(PINGPP_REVERSE_CHANNELS.alipay_scan!.window);
    // A WeChat charge is payable for 7 days at most, any other for 15 (time_expire): 7 days stays inside both.
    for (const [c, e] of inferred)
      if (c !== 'cb_alipay_scan') expect(e.window).toEqual({ kind: 'elapsed', ms: 7 * DAY });
    expect(PINGPP_REVERSE_CHANNELS.wx!.inference).toContain(PINGPP_CHARGE_URL);
  });

  it('only own keys are channels', () => {
    expect(pingppReverseChannel('toString')).toBeUndefined();
    expect(pingppReverseChannel('bfb')).toBeUndefined();
    expect(pingppReverseChannel('upacp')).toBe(PINGPP_REVERSE_CHANNELS.upacp);
  });
});

describe('windows in time', () => {
  it('the UnionPay day runs from 23:00 to 23:00 Beijing time', () => {
    expect(reverseWindowOpen(UNIONPAY_DAY, at('2026-03-09T23:10:00'), at('2026-03-10T22:59:59'))).toBe(true);
    // 20 minutes old, yet made on another UnionPay day.
    expect(reverseWindowOpen(UNIONPAY_DAY, at('2026-03-09T22:50:00'), at('2026-03-09T23:10:00'))).toBe(false);
    expect(reverseWindowOpen(UNIONPAY_DAY, at('2026-03-10T10:00:00'), at('2026-03-10T23:00:00'))).toBe(false);
  });

  it('the isv day is the Beijing calendar day', () => {
    expect(reverseWindowOpen(CALENDAR_DAY, at('2026-03-10T00:00:00'), at('2026-03-10T23:59:59'))).toBe(true);
    expect(reverseWindowOpen(CALENDAR_DAY, at('2026-03-09T23:50:00'), at('2026-03-10T00:10:00'))).toBe(false);
  });

  it('an elapsed window includes its last instant', () => {
    const created = at('2026-03-10T12:00:00');
    expect(reverseWindowOpen({ kind: 'elapsed', ms: DAY }, created, created + DAY)).toBe(true);
    expect(reverseWindowOpen({ kind: 'elapsed', ms: DAY }, created, created + DAY + 1)).toBe(false);
  });
});

describe('the policy reads Ping++ reversal from the table', () => {
  const NOW = at('2026-03-10T12:00:00');
  const order = (payType: string, ageMs = 60_000): OrderRef => ({
    provider: 'pingpp',
    merchantId: 'm1',
    orderId: 'ORDER1',
    providerOrderId: 'ch_1',
    amount: 1000,
    payType,
    createdAt: new Date(NOW - ageMs).toISOString(),
  });
  const obs = (o: Partial<Observation> & { status: Observation['status'] }): Observation =>
    ({ providerCode: 'code', ...o }) as Observation;
  const unknownAfterRetries: PolicyMemory = {
    ...freshMemory(),
    unknownStreak: PROVIDER_RULES.pingpp.unknownRetry.attempts,
  };
  const decideFor = (o: OrderRef, ob: Observation, memory: PolicyMemory = freshMemory()) =>
    decide(PROVIDER_RULES.pingpp, o, ob, memory, NOW);

  it('every table channel is cancelled by reverse; unknown state reverses only channels reversible once paid', () => {
    const rules = PROVIDER_RULES.pingpp;
    expect(Object.keys(rules.cancelCall.byPayType).sort()).toEqual(Object.keys(PINGPP_REVERSE_CHANNELS).sort());
    expect(Object.values(rules.cancelCall.byPayType).every((c) => c === 'reverse')).toBe(true);
    expect(rules.cancelCall.default).toBeNull();
    expect([...rules.reverseWhenUnknown].sort()).toEqual([...SEED_CHANNELS].sort());
  });

  it.each(Object.keys(PINGPP_REVERSE_CHANNELS))('%s unpaid a minute after creation → reverse', (channel) => {
    expect(decideFor(order(channel), obs({ status: 'unpaid' }))).toEqual({ type: 'reverse' });
  });

  it.each(['upacp', 'upacp_pc', 'upacp_wap', 'upacp_scan'])(
    '%s unpaid two days after creation → review, past the same-day window',
    (channel) => {
      expect(decideFor(order(channel, 2 * DAY), obs({ status: 'unpaid' }))).toMatchObject({
        type: 'review',
        reason: expect.stringContaining('reversal window'),
      });
    },
  );

  it('a channel outside the table: unpaid → review, paid → refund, unknown state → review; never reverse', () => {
    const outside = order('applepay_upacp');
    expect(decideFor(outside, obs({ status: 'unpaid' }))).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('no call that cancels'),
    });
    expect(decideFor(outside, obs({ status: 'paid', amount: 1000 }))).toEqual({
      type: 'refund',
      amount: 1000,
      sequence: 1,
    });
    const unknown = obs({ status: 'unknown', reason: 'timeout' } as never);
    expect(decideFor(outside, unknown, unknownAfterRetries)).toMatchObject({
      type: 'review',
      reason: expect.stringContaining('reverse is not possible'),
    });
  });

  it('unknown state: a seed channel inside its window is reversed, an unpaid-only channel goes to review', () => {
    const unknown = obs({ status: 'unknown', reason: 'timeout' } as never);
    expect(decideFor(order('isv_qr'), unknown, unknownAfterRetries)).toEqual({ type: 'reverse' });
    expect(decideFor(order('upacp'), unknown, unknownAfterRetries)).toMatchObject({ type: 'review' });
  });
});
