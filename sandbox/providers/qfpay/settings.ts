/**
 * Switches for QFPay behaviour the reference leaves unconfirmed or that tests need to move
 * (docs/providers/qfpay.md §12). Defaults are the most plausible reading; tests flip them to show the adapter
 * stays safe under the other reading.
 */
export interface QfpaySandboxSettings {
  /** respcd for a refund out_trade_no used before by a payment or refund of the merchant (§5.4, §12 Q3). */
  duplicateRefundCode: '1102' | '2011';
  /**
   * How reversal/close of a paid order says no (§5.1, §6): `1260` "order already paid" (the current status-code page;
   * the current reversal page says a paid order cannot be reversed but names no code), or the 2018 readings: `1297`
   * "cancel not supported", or 0000 without a new syssn (§5.3).
   */
  cancelPaidAnswer: '1260' | '1297' | 'no_syssn';
  /**
   * An unpaid order of a Hong Kong pay type (workflows/qfpay-pay-types.ts) shows expired (1181) once its payment
   * window has passed (§3.2): QFPay cancels none of them, so the window's end is what closes them. Off: it stays
   * unpaid, as if QFPay had not marked it yet.
   */
  expireAfterPaymentWindow: boolean;
  /** Whether a query naming a payment also returns that payment's refund rows (§4.1 [INF]). */
  refundRowsWithPayment: boolean;
  /**
   * A query naming no syssn and no start_time/end_time searches only the current calendar month, Hong Kong time,
   * by sysdtm; an earlier month must be named by a range (§4.2 [DOC]). Off: every month, as the sandbox once did.
   */
  queryCurrentMonthOnly: boolean;
  /** Whether reversal/close insist that txdtm is the original transaction's time (gotcha G4 [INF]). */
  checkTxdtm: boolean;
  /** Refuse refunds 23:30–00:30 Hong Kong time with 1265 (§5.4). Off by default: it would make tests depend on the hour. */
  refundBlackout: boolean;
  /** Today's unsettled amount, minor units: a larger refund gets 1269 (§5.4). */
  unsettledBalance: number;
  /** Response signature: always MD5 (G-JP §3.4), or the algorithm the request declared (§12 Q6). */
  responseSignType: 'MD5' | 'request';
  /**
   * What the answer's X-QF-SIGN covers (§2.2, the documents disagree): the raw body bytes (G-JP §3.4, the only
   * reading with a verified vector) or the answer's fields sorted by name as `name=value&…` (the response-format page).
   */
  responseSignedOver: 'raw_body' | 'sorted_fields';
  /** Whether a SHA256-signed answer says so in X-QF-SIGNTYPE (§2.2, §12 Q6); MD5 answers never carry it. */
  declareResponseSignType: boolean;
  /** Enforce 100 requests/second and 400/minute per app code with HTTP 429 (§8). Off by default: test suites exceed it. */
  rateLimit: boolean;
  /** The simulator's clock (refund blackout, rate windows, times it writes). */
  now: () => Date;
}

const DEFAULTS: QfpaySandboxSettings = {
  duplicateRefundCode: '1102',
  cancelPaidAnswer: '1260',
  expireAfterPaymentWindow: true,
  refundRowsWithPayment: true,
  queryCurrentMonthOnly: true,
  checkTxdtm: true,
  refundBlackout: false,
  unsettledBalance: Number.MAX_SAFE_INTEGER,
  responseSignType: 'MD5',
  responseSignedOver: 'raw_body',
  declareResponseSignType: true,
  rateLimit: false,
  now: () => new Date(),
};

/** Live settings of the QFPay simulator (process-wide). */
export const qfpaySandboxSettings: QfpaySandboxSettings = { ...DEFAULTS };

export function resetQfpaySandboxSettings(): void {
  Object.assign(qfpaySandboxSettings, DEFAULTS);
}
