/**
 * Per-provider cancellation rules, as data. Each number or list cites its source in
 * docs/providers/<id>.md; [INF] marks our own safe reading where the provider is silent.
 */
import type { ProviderId } from '../domain/index.js';
import type { Cadence } from './definitions.js';
import { longestReverseWindowMs, PINGPP_REVERSE_CHANNELS } from './pingpp-channels.js';
import { QFPAY_HK_PAY_TYPES } from './qfpay-pay-types.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type CancelCall = 'close' | 'reverse';

export interface ProviderRules {
  provider: ProviderId;
  /** How an unpaid (or stuck paying) order is cancelled, by pay type; `default` for the rest. `null`: no call can cancel it. */
  cancelCall: { default: CancelCall | null; byPayType: Record<string, CancelCall | null> };
  /**
   * Pay types the provider cancels by no call at all (QFPay's Hong Kong pay types): the run sends them no reverse or
   * close, waits out their payment window and lets a query confirm the expiry; paid, they are refunded only where
   * `refundable`. Absent: none.
   */
  noCancelCall?: Record<string, NoCancelCall>;
  /** How long after creation a reverse is still accepted, by pay type; `default` for the rest. */
  reverseWindowMs: { default: number; byPayType: Record<string, number> };
  /** How long after creation a close is still accepted (undefined: no documented limit). */
  closeWindowMs?: number;
  /** Pay types for which the provider documents reverse as the tool for an order of unknown state ('*' = all). */
  reverseWhenUnknown: string[];
  /** While the provider says "paying": poll this often, for this long, inside one activity (O(1) history). */
  payingPoll?: { intervalMs: number; budgetMs: number };
  /** Unknown answers (failed or untrusted queries) are retried this many times, backing off, before the last resort. */
  unknownRetry: { attempts: number; firstDelayMs: number; maxDelayMs: number };
  /** Whether the provider's query can show a close/reverse (PAYJS check only knows paid/unpaid). */
  queryShowsClosure: boolean;
  /** Whether the provider's query can show a refund. */
  queryShowsRefunds: boolean;
  refund: {
    /** Whether an amount below the total is accepted (PAYJS: full only). */
    partial: boolean;
    /** How long after payment a refund is accepted (undefined: not documented). */
    windowMs?: number;
    /** How often to ask about a refund still processing, and for how many checks before review. */
    pollMs: number;
    maxChecks: number;
  };
  /** How many queries after a write may still show the old state before we ask a human. */
  confirmAttempts: number;
  confirmDelayMs: number;
  /** How many close/reverse/refund calls may each be tried before review. */
  maxWrites: number;
}

export interface NoCancelCall {
  /** What the pay type is, for review reasons. */
  name: string;
  /** How long after creation the order can still be paid. */
  paymentWindowMs: number;
  /** Whether the provider refunds a paid order of this pay type. */
  refundable: boolean;
}

const QFPAY_CPM = ['800008', '800108', '800208', '801008', '805808', '800708'];
/** QFPay's Hong Kong pay types come from their table (workflows/qfpay-pay-types.ts, docs/providers/qfpay.md §3.2). */
const QFPAY_HK = Object.entries(QFPAY_HK_PAY_TYPES);
const QFPAY_NO_CANCEL_CALL: Record<string, NoCancelCall> = Object.fromEntries(
  QFPAY_HK.map(([payType, e]) => [
    payType,
    { name: e.name, paymentWindowMs: e.paymentWindowMs, refundable: e.refundable },
  ]),
);
/** Ping++'s reverse channels come from its table (workflows/pingpp-channels.ts, docs/providers/pingpp.md §4.2). */
const PINGPP_CHANNELS = Object.entries(PINGPP_REVERSE_CHANNELS);
const PINGPP_REVERSIBLE = PINGPP_CHANNELS.map(([channel]) => channel);
const PINGPP_ONCE_PAID = PINGPP_CHANNELS.filter(([, e]) => e.reversible === 'paid_or_unpaid').map(([c]) => c);
const PINGPP_WINDOWS_MS = Object.fromEntries(PINGPP_CHANNELS.map(([c, e]) => [c, longestReverseWindowMs(e.window)]));

const fromList = <T>(keys: string[], value: T): Record<string, T> => Object.fromEntries(keys.map((k) => [k, value]));

export const PROVIDER_RULES: Record<ProviderId, ProviderRules> = {
  payjs: {
    provider: 'payjs',
    // docs/providers/payjs.md §3.2: reverse is for micropay / face pay; other orders use close (§3.3).
    cancelCall: { default: 'close', byPayType: { micropay: 'reverse', facepay: 'reverse' } },
    reverseWindowMs: { default: 7 * DAY, byPayType: {} }, // §3.2: orders ≤ 7 days
    closeWindowMs: 30 * DAY, // §3.3: orders ≤ 30 days
    reverseWhenUnknown: ['micropay', 'facepay'], // §3.2: "for abnormal orders whose state cannot be determined"
    // §3.1: frequent `check` calls get the caller's IP blacklisted: back off hard.
    unknownRetry: { attempts: 4, firstDelayMs: 30 * SECOND, maxDelayMs: 5 * MINUTE },
    queryShowsClosure: false, // §3.1: status is only 0 / 1
    queryShowsRefunds: false,
    refund: { partial: false, pollMs: MINUTE, maxChecks: 10 }, // §3.4: full refund only
    confirmAttempts: 2,
    confirmDelayMs: 30 * SECOND,
    maxWrites: 3,
  },
  qfpay: {
    provider: 'qfpay',
    // docs/providers/qfpay.md §3.1 (versions A and C agree): CPM → reversal; WeChat MPM/online → close; Alipay MPM → reversal;
    // §3.2: Hong Kong pay types → no call at all (version A: "HK pay types do not support cancellation").
    cancelCall: {
      default: 'close',
      byPayType: {
        ...fromList(QFPAY_CPM, 'reverse'),
        '800101': 'reverse',
        ...fromList(Object.keys(QFPAY_NO_CANCEL_CALL), null),
      },
    },
    noCancelCall: QFPAY_NO_CANCEL_CALL,
    // No documented reversal window (§12 Q2); Alipay's upstream cancel limit is a day [INF].
    reverseWindowMs: { default: DAY, byPayType: {} },
    reverseWhenUnknown: ['*'], // §5.1: reversal is the last resort when the state is unknown
    payingPoll: { intervalMs: 5 * SECOND, budgetMs: 2 * MINUTE }, // §5.2: keep querying ~2 minutes while 1143/1145
    unknownRetry: { attempts: 5, firstDelayMs: 5 * SECOND, maxDelayMs: MINUTE },
    queryShowsClosure: true,
    queryShowsRefunds: true,
    refund: { partial: true, pollMs: 10 * SECOND, maxChecks: 30 },
    confirmAttempts: 3,
    confirmDelayMs: 5 * SECOND,
    maxWrites: 3,
  },
  wechatpay: {
    provider: 'wechatpay',
    // docs/providers/wechatpay.md §5.3/§5.4: close for unpaid orders; reverse for codepay (MICROPAY).
    cancelCall: { default: 'close', byPayType: { MICROPAY: 'reverse', FACEPAY: 'reverse' } },
    reverseWindowMs: { default: 7 * DAY, byPayType: {} }, // §5.4: ≤ 7 days
    reverseWhenUnknown: ['MICROPAY', 'FACEPAY'],
    payingPoll: { intervalMs: 10 * SECOND, budgetMs: 45 * SECOND }, // §5.4: USERPAYING every 5–10 s, reverse after ~45 s
    unknownRetry: { attempts: 5, firstDelayMs: 5 * SECOND, maxDelayMs: MINUTE },
    queryShowsClosure: true,
    queryShowsRefunds: true,
    refund: { partial: true, windowMs: 365 * DAY, pollMs: MINUTE, maxChecks: 30 }, // §5.6: 1 year; §5.7: query ~1 min after
    confirmAttempts: 3,
    confirmDelayMs: 5 * SECOND,
    maxWrites: 3,
  },
  pingpp: {
    provider: 'pingpp',
    // docs/providers/pingpp.md §4.2 (newer revision): no close call; the table's channels reverse, others go to review.
    cancelCall: { default: null, byPayType: fromList(PINGPP_REVERSIBLE, 'reverse') },
    // A same-day window (upacp*, isv_*) ends at the Beijing day's end, never more than a day after creation: a day is
    // its upper bound here, and Ping++ refuses a reverse past the day's end. No channel outside the table: 0.
    reverseWindowMs: { default: 0, byPayType: PINGPP_WINDOWS_MS },
    reverseWhenUnknown: PINGPP_ONCE_PAID, // only these may be reversed even when already paid
    unknownRetry: { attempts: 5, firstDelayMs: 5 * SECOND, maxDelayMs: MINUTE },
    queryShowsClosure: true,
    queryShowsRefunds: true,
    refund: { partial: true, pollMs: 30 * SECOND, maxChecks: 30 },
    confirmAttempts: 3,
    confirmDelayMs: 5 * SECOND,
    maxWrites: 3,
  },
};

/**
 * QFPay's rules as they were before its Hong Kong pay types became data (HK_PAY_TYPES_PATCH in workflows/run.ts):
 * only FPS had no cancel call (and went to review), the others were reversed or closed. Replay of older runs only.
 */
export const QFPAY_RULES_BEFORE_HK_PAY_TYPES: ProviderRules = {
  ...PROVIDER_RULES.qfpay,
  cancelCall: {
    default: 'close',
    byPayType: { ...fromList(QFPAY_CPM, 'reverse'), '800101': 'reverse', '801501': 'reverse', '802001': null },
  },
  noCancelCall: undefined,
};

export const REVIEW_TIMEOUT_MS = 30 * DAY;

/** The provider's rules with a per-order cadence override applied. */
export function withCadence(rules: ProviderRules, cadence: Cadence | undefined): ProviderRules {
  if (!cadence) return rules;
  const poll = rules.payingPoll;
  return {
    ...rules,
    unknownRetry: {
      ...rules.unknownRetry,
      firstDelayMs: cadence.unknownRetryDelayMs ?? rules.unknownRetry.firstDelayMs,
      maxDelayMs:
        cadence.unknownRetryMaxDelayMs ?? Math.max(rules.unknownRetry.maxDelayMs, cadence.unknownRetryDelayMs ?? 0),
    },
    confirmDelayMs: cadence.confirmDelayMs ?? rules.confirmDelayMs,
    payingPoll: poll && {
      intervalMs: cadence.payingPollIntervalMs ?? poll.intervalMs,
      budgetMs: cadence.payingPollBudgetMs ?? poll.budgetMs,
    },
    refund: { ...rules.refund, pollMs: cadence.refundPollMs ?? rules.refund.pollMs },
  };
}
