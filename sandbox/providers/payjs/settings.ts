/**
 * Switches for behaviour PAYJS leaves unconfirmed (docs/providers/payjs.md §8). Defaults are the most plausible
 * reading; tests flip them to show the adapter stays safe under the other reading.
 */
export interface PayjsSandboxSettings {
  /**
   * What `check` shows for an order whose money went back (refunded, or reversed after payment):
   * 'paid' keeps status 1 (status says "was paid"; §7 suggestion), 'unpaid' shows status 0 while
   * keeping transaction_id and paid_time. §8 Q3.
   */
  checkAfterReturn: 'paid' | 'unpaid';
  /** return_code of a repeated refund, which always carries `refund: "1"`. §3.4, §8 Q4. */
  repeatRefundReturnCode: 0 | 1;
  /** The merchant's unsettled balance in fen: a refund above it is refused (§3.4). */
  unsettledBalance: number;
  /**
   * How answers are canonicalised before the MD5 (§2.5): 'php-sdk' (raw values, PHP `array_filter`),
   * the default because the answer tables point to the signature page whose reference code is PHP's,
   * or 'python-demo' (every field, spaces as `+`), as the docs' Python demo signs.
   */
  answerCanonicalisation: PayjsAnswerCanonicalisation;
}

/** The values of `answerCanonicalisation`, for the admin API's schema. */
export const PAYJS_ANSWER_CANONICALISATIONS = ['php-sdk', 'python-demo'] as const;
export type PayjsAnswerCanonicalisation = (typeof PAYJS_ANSWER_CANONICALISATIONS)[number];

const DEFAULTS: PayjsSandboxSettings = {
  checkAfterReturn: 'paid',
  repeatRefundReturnCode: 0,
  unsettledBalance: Number.MAX_SAFE_INTEGER,
  answerCanonicalisation: 'php-sdk',
};

/** Live settings of the PAYJS simulator (process-wide). */
export const payjsSandboxSettings: PayjsSandboxSettings = { ...DEFAULTS };

export function resetPayjsSandboxSettings(): void {
  Object.assign(payjsSandboxSettings, DEFAULTS);
}
