/**
 * Ping++ reverse (撤销) channels as data (docs/providers/pingpp.md §4.2): which channels Ping++ reverses, whether a
 * paid charge too or only an unpaid one, inside which window, and where each fact comes from. The workflow rules
 * (PROVIDER_RULES.pingpp) and the sandbox's reverse route both read this one table. A channel not listed here is
 * never reversed. Pure data and arithmetic: workflow code and the sandbox import it alike.
 */

/** 撤销 Charge 对象 (API reference). Two revisions were found live at this address (§4.2): older and newer. */
export const PINGPP_REVERSE_API_URL = 'https://www.pingxx.com/api/%E6%92%A4%E9%94%80%20Charge%20%E5%AF%B9%E8%B1%A1';
/** The reverse guide (seed 004): the 8 scan/isv channels, with a paid isv_scan charge reversed as its example. */
export const PINGPP_REVERSE_GUIDE_URL = 'https://pingxx.com/docs/server/basic_transaction/charge_refunds/reverse';
/** The Charge object: time_expire limits (how long a charge can still be paid), for the inferred windows. */
export const PINGPP_CHARGE_URL = 'https://pingxx.com/api/Charges%20%E6%94%AF%E4%BB%98%E6%A6%82%E8%BF%B0.html';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beijing time is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_HOURS = 8;

/** `paid_or_unpaid`: a paid charge is reversed too, its money going back; `unpaid_only`: a paid one needs a refund. */
export type PingppReversible = 'paid_or_unpaid' | 'unpaid_only';

/** How long after creation Ping++ accepts a reverse. */
export type PingppReverseWindow =
  /** Up to `ms` after creation. */
  | { kind: 'elapsed'; ms: number }
  /** Within the Beijing-time day the charge was created in; that day ends at `dayEndsAtHour` (24: midnight). */
  | { kind: 'same_day'; dayEndsAtHour: number };

export interface PingppReverseChannel {
  reversible: PingppReversible;
  window: PingppReverseWindow;
  /** The window in words, as a refusal states it. */
  windowRule: string;
  /** `documented`: the source states the window; `inferred`: the source is silent, `inference` says why this one. */
  windowBasis: 'documented' | 'inferred';
  inference?: string;
  /** The REV revisions that list the channel: `both`, or only the `newer` one. */
  listedIn: 'both' | 'newer';
  /** Where the channel, its paid/unpaid rule and (when documented) its window are stated. */
  source: { url: string; where: string };
}

const SEVEN_DAYS = 'charges of the last 7 days only';
const UNIONPAY_DAY =
  'charges made today only, the UnionPay day running from 23:00 the day before to 23:00 (Beijing time)';
const ISV_DAY = 'charges made today only (Beijing time)';
const ONE_DAY = 'charges of the last 24 hours only';

const scan = (where: string) => ({
  url: PINGPP_REVERSE_API_URL,
  where: `both revisions; newer revision note 1 (paid too); ${where}`,
});
const newer = (where: string) => ({ url: PINGPP_REVERSE_API_URL, where: `newer revision channel list; ${where}` });

const scanEntry = (window: PingppReverseWindow, windowRule: string, where: string): PingppReverseChannel => ({
  reversible: 'paid_or_unpaid',
  window,
  windowRule,
  windowBasis: 'documented',
  listedIn: 'both',
  source: scan(where),
});

const WX_ONLINE: PingppReverseChannel = {
  reversible: 'unpaid_only',
  window: { kind: 'elapsed', ms: 7 * DAY },
  windowRule: SEVEN_DAYS,
  windowBasis: 'inferred',
  inference:
    'no window stated (only "do not reverse right after creating the charge"); a WeChat charge is payable for ' +
    `at most 7 days (time_expire, ${PINGPP_CHARGE_URL}), after that there is nothing left to cancel`,
  listedIn: 'newer',
  source: newer('note 2 (no window; not right after creation)'),
};

const ALIPAY_ONLINE: PingppReverseChannel = {
  reversible: 'unpaid_only',
  window: { kind: 'elapsed', ms: 7 * DAY },
  windowRule: SEVEN_DAYS,
  windowBasis: 'inferred',
  inference:
    `no window stated; 7 days, shorter than the longest time_expire (15 days, ${PINGPP_CHARGE_URL}), so an ` +
    'older unpaid charge goes to a person instead of a call Ping++ never described',
  listedIn: 'newer',
  source: newer('no window in note 2'),
};

const UNIONPAY_ONLINE: PingppReverseChannel = {
  reversible: 'unpaid_only',
  window: { kind: 'same_day', dayEndsAtHour: 23 },
  windowRule: UNIONPAY_DAY,
  windowBasis: 'documented',
  listedIn: 'newer',
  source: newer('note 2 (upacp, upacp_pc, upacp_wap, upacp_scan: same day, 23:00 to 23:00)'),
};

const ISV_SAME_DAY = scanEntry(
  { kind: 'same_day', dayEndsAtHour: 24 },
  ISV_DAY,
  'window: older note 1, newer note 2 (the day of the trade)',
);

/** Every channel Ping++ reverses, keyed by its `channel` name. */
export const PINGPP_REVERSE_CHANNELS: Readonly<Record<string, PingppReverseChannel>> = {
  // The 8 channels of the seed (REVG) and of both REV revisions.
  wx_pub_scan: scanEntry({ kind: 'elapsed', ms: 7 * DAY }, SEVEN_DAYS, 'window: older note 1, newer note 2 (7 days)'),
  cb_wx_pub_scan: scanEntry(
    { kind: 'elapsed', ms: 7 * DAY },
    SEVEN_DAYS,
    'window: older note 1, newer note 2 (7 days)',
  ),
  alipay_scan: scanEntry({ kind: 'elapsed', ms: DAY }, ONE_DAY, 'window: older note 1, newer note 2 (24 hours)'),
  cb_alipay_scan: {
    ...scanEntry({ kind: 'elapsed', ms: DAY }, ONE_DAY, 'no window stated for cb_alipay_scan'),
    windowBasis: 'inferred',
    inference: 'no window stated; the cross-border form of alipay_scan, so its 24 hours, the shortest Alipay window',
  },
  upacp_scan: scanEntry(
    { kind: 'same_day', dayEndsAtHour: 23 },
    UNIONPAY_DAY,
    'window: older note 1, newer note 2 (23:00 to 23:00)',
  ),
  isv_scan: ISV_SAME_DAY,
  isv_wap: ISV_SAME_DAY,
  isv_qr: ISV_SAME_DAY,
  // Added by the newer REV revision, reversed only while unpaid.
  alipay: ALIPAY_ONLINE,
  alipay_qr: ALIPAY_ONLINE,
  alipay_lite: ALIPAY_ONLINE,
  upacp: UNIONPAY_ONLINE,
  upacp_pc: UNIONPAY_ONLINE,
  upacp_wap: UNIONPAY_ONLINE,
  wx: WX_ONLINE,
  wx_wap: WX_ONLINE,
  wx_lite: WX_ONLINE,
  wx_pub: WX_ONLINE,
  wx_pub_qr: WX_ONLINE,
};

/** The channel's entry, or undefined: Ping++ does not reverse it. Own keys only ("toString" is no channel). */
export function pingppReverseChannel(channel: string): PingppReverseChannel | undefined {
  return Object.hasOwn(PINGPP_REVERSE_CHANNELS, channel) ? PINGPP_REVERSE_CHANNELS[channel] : undefined;
}

/** The Beijing-time day number of an instant, for a day that ends at `dayEndsAtHour`. */
const beijingDay = (ms: number, dayEndsAtHour: number): number =>
  Math.floor((ms + (BEIJING_OFFSET_HOURS + 24 - dayEndsAtHour) * HOUR) / DAY);

/** Whether a charge created at `createdAtMs` is still inside the window at `nowMs`. */
export function reverseWindowOpen(window: PingppReverseWindow, createdAtMs: number, nowMs: number): boolean {
  if (window.kind === 'elapsed') return nowMs - createdAtMs <= window.ms;
  return beijingDay(createdAtMs, window.dayEndsAtHour) === beijingDay(nowMs, window.dayEndsAtHour);
}

/** The longest time after creation the window can last: a same-day window never outlasts one day. */
export function longestReverseWindowMs(window: PingppReverseWindow): number {
  return window.kind === 'elapsed' ? window.ms : DAY;
}
