/**
 * QFPay's Hong Kong pay types as data (docs/providers/qfpay.md §3.2): QFPay cancels none of them, so Rescind sends
 * them no reversal or close; an unpaid one is left to expire at the end of its payment window, a paid one is
 * refunded where the pay type allows refunds. Each entry says where it comes from. The workflow rules
 * (PROVIDER_RULES.qfpay) and the sandbox's reversal/close routes both read this one table. Pure data: workflow code
 * and the sandbox import it alike.
 */

/** Reversal/cancel page (zh-Hans, = version A of §3.1): "香港支付类型不支持交易取消" (HK pay types cannot be cancelled). */
export const QFPAY_CANCEL_RULE_URL = 'https://sdk.qfapi.com/zh-Hans/docs/common-api/reversal-cancel';
/** The pay-type table: which pay types are for Hong Kong merchants, and (note ***) which cannot be refunded. */
export const QFPAY_PAY_TYPES_URL = 'https://sdk.qfapi.com/zh-Hans/docs/preparation/paycode';
/** The public payment parameters: `expired_time`, a QR code valid 30 minutes by default and 120 at most. */
export const QFPAY_PAYMENT_PARAMS_URL = 'https://sdk.qfapi.com/docs/preparation/paycode';
/** The mid-2025 English reversal page (version B of §3.1): lists 801501 for reversal and 801008 for close. */
export const QFPAY_REVERSAL_B_URL = 'https://sdk.qfapi.com/integration/common-api/reversal';
/** The newest zh-Hant reversal page (version C of §3.1): names 801514 among its close examples. */
export const QFPAY_REVERSAL_C_URL = 'https://sdk.qfapi.com/zh-hant/integration/common-api/reversal.md';

const MINUTE = 60_000;
/** `expired_time` is at most 120 minutes: no QR code of QFPay's can be paid for longer. */
export const QFPAY_LONGEST_QR_VALIDITY_MS = 120 * MINUTE;

export type QfpayPayMode = 'MPM' | 'CPM' | 'online';

export interface QfpayHkPayType {
  name: string;
  mode: QfpayPayMode;
  /** False where the pay-type table marks the pay type "does not support refunds" (note ***). */
  refundable: boolean;
  /** How long after creation the order can still be paid; after it QFPay shows the order expired. */
  paymentWindowMs: number;
  /** `documented`: `expired_time` is documented for this pay type; `inferred`: see `inference`. */
  windowBasis: 'documented' | 'inferred';
  inference?: string;
  /** Where the pay type is listed as a Hong Kong one, and where the no-cancel rule and its refund rule are stated. */
  source: { url: string; where: string };
  /** A newer QFPay page that names this pay type for reversal or close; kept out of the calls until QFPay confirms. */
  contradictedBy?: { url: string; where: string };
}

const WINDOW_INFERENCE =
  '`expired_time` is documented for WeChat and Alipay only; no payment window is documented for this pay type, ' +
  "so the longest QR validity QFPay documents (120 minutes): after it the order is checked, and QFPay's answer decides";

const hk = (
  name: string,
  mode: QfpayPayMode,
  where: string,
  extra: Partial<Pick<QfpayHkPayType, 'refundable' | 'contradictedBy'>> & { windowDocumented?: boolean } = {},
): QfpayHkPayType => ({
  name,
  mode,
  refundable: extra.refundable ?? true,
  paymentWindowMs: QFPAY_LONGEST_QR_VALIDITY_MS,
  ...(extra.windowDocumented
    ? { windowBasis: 'documented' as const }
    : { windowBasis: 'inferred' as const, inference: WINDOW_INFERENCE }),
  source: {
    url: QFPAY_PAY_TYPES_URL,
    where:
      `${where}; no cancel: ${QFPAY_CANCEL_RULE_URL} (note at the top)` +
      (extra.windowDocumented ? `; window: expired_time, at most 120 minutes (${QFPAY_PAYMENT_PARAMS_URL})` : ''),
  },
  ...(extra.contradictedBy ? { contradictedBy: extra.contradictedBy } : {}),
});

/** Every Hong Kong pay type of QFPay's table, keyed by `pay_type`. */
export const QFPAY_HK_PAY_TYPES: Readonly<Record<string, QfpayHkPayType>> = {
  '801501': hk('Alipay MPM (HK merchants)', 'MPM', 'row 801501 "(香港商戶)"', {
    windowDocumented: true,
    contradictedBy: { url: QFPAY_REVERSAL_B_URL, where: 'Supported payment flows: Alipay MPM 801501 (reversal)' },
  }),
  '801510': hk('Alipay in-app (HK merchants)', 'online', 'row 801510 "(香港商戶)"', { windowDocumented: true }),
  '801512': hk('Alipay WAP (HK merchants)', 'online', 'row 801512 "(香港商戶)"', { windowDocumented: true }),
  '801514': hk('Alipay web (HK merchants)', 'online', 'row 801514 "(香港商戶)"', {
    contradictedBy: { url: QFPAY_REVERSAL_C_URL, where: 'close examples: 801514' },
  }),
  '801008': hk('WeChat Pay HK CPM (direct settlement)', 'CPM', 'row 801008 "微信香港" (WeChat Pay HK merchants)', {
    contradictedBy: { url: QFPAY_REVERSAL_B_URL, where: 'Reversal vs Close: WeChat Pay CPM 801008 (close)' },
  }),
  '801010': hk(
    'WeChat Pay HK in-app (direct settlement)',
    'online',
    'row 801010 "微信香港" (WeChat Pay HK merchants)',
    {
      windowDocumented: true,
    },
  ),
  '805801': hk('PayMe MPM', 'MPM', 'row 805801 (English table: "HK Merchants")'),
  '805808': hk('PayMe CPM', 'CPM', 'row 805808 (English table: "HK Merchants")'),
  '805812': hk('PayMe WAP', 'online', 'row 805812 "(香港商戶)"'),
  '805814': hk('PayMe web', 'online', 'row 805814 "(香港商戶)"'),
  '800712': hk('UnionPay WAP (HK merchants)', 'online', 'row 800712 "(香港商戶)"'),
  '800714': hk('UnionPay PC-web (HK merchants)', 'online', 'row 800714 "(香港商户)"'),
  '802001': hk('FPS MPM', 'MPM', 'row 802001 "香港转数快"; note *** "该支付方式不支持退款" (no refunds)', {
    refundable: false,
  }),
  '803701': hk('Octopus MPM', 'MPM', 'row 803701 "(香港商户)"'),
  '803712': hk('Octopus CPM', 'CPM', 'row 803712 "(香港商户)"'),
  '803714': hk('Octopus web', 'online', 'row 803714 "(香港商户)"'),
};

/** The pay type's entry, or undefined: not a Hong Kong pay type. Own keys only ("toString" is no pay type). */
export function qfpayHkPayType(payType: string | undefined): QfpayHkPayType | undefined {
  return payType !== undefined && Object.hasOwn(QFPAY_HK_PAY_TYPES, payType) ? QFPAY_HK_PAY_TYPES[payType] : undefined;
}
