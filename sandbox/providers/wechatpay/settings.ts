/**
 * Switches for WeChat Pay behaviour the reference leaves unconfirmed (docs/providers/wechatpay.md §11)
 * or that tests need to move. Defaults are the most plausible reading; tests flip them to show the
 * adapter stays safe under the other reading.
 */
export interface WechatpaySandboxSettings {
  /** Sign 4xx/5xx answers too (§3.5 [UNCONFIRMED]: "sign them anyway"). A 401 SIGN_ERROR is never signed. */
  signErrors: boolean;
  /** Close of an unknown or already closed order answers 204 as observed (§5.3 [COMM]); off: 404 ORDER_NOT_EXIST / 400 ORDER_CLOSED. */
  closeQuietly: boolean;
  /** What a query shows after a paid codepay order was reversed (§11 Q3). */
  paidReverseShowsAs: 'REVOKED' | 'REFUND';
  /** HTTP status of reverse's USERPAYING refusal (§5.4 [UNCONFIRMED]: 400 or 403). */
  userpayingStatus: 400 | 403;
  /** The same out_refund_no with another amount (§11 Q5): 400 INVALID_REQUEST, or the existing refund returned as it is. */
  sameKeyOtherAmount: 'INVALID_REQUEST' | 'existing';
  /** The sub-merchant's available balance, fen: a larger refund answers 403 NOT_ENOUGH (§7.3). */
  availableBalance: number;
  /**
   * New refunds turn ABNORMAL (§6.2): the money came back from the payer's frozen or closed bank card, so it reached
   * nobody. The refund call answers PROCESSING, REFUND.ABNORMAL is notified, and queries show ABNORMAL; no money
   * moves in the ledger.
   */
  refundsTurnAbnormal: boolean;
  /** Seconds added to the Wechatpay-Timestamp of answers and notifications (tests of the ±300 s rule). */
  answerClockOffsetSec: number;
  /** The simulator's clock (request timestamp check, windows, times it writes). */
  now: () => Date;
}

const DEFAULTS: WechatpaySandboxSettings = {
  signErrors: true,
  closeQuietly: true,
  paidReverseShowsAs: 'REVOKED',
  userpayingStatus: 403,
  sameKeyOtherAmount: 'INVALID_REQUEST',
  availableBalance: Number.MAX_SAFE_INTEGER,
  refundsTurnAbnormal: false,
  answerClockOffsetSec: 0,
  now: () => new Date(),
};

/** Live settings of the WeChat Pay simulator (process-wide). */
export const wechatpaySandboxSettings: WechatpaySandboxSettings = { ...DEFAULTS };

export function resetWechatpaySandboxSettings(): void {
  Object.assign(wechatpaySandboxSettings, DEFAULTS);
}
