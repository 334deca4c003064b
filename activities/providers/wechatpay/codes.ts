/**
 * WeChat Pay v3 error codes and what kind of answer each is (docs/providers/wechatpay.md §5.4, §7.3,
 * §7.4). The mapper decides per call what a kind means; a code missing here is unrecognised.
 */

export type CodeClass =
  /** Our request is wrong (signature, parameters, credentials, permissions): retrying cannot help. */
  | 'our_mistake'
  /** Not accepted because of the rate: back off and send the same request again. */
  | 'rate_limited'
  /** A system or bank error: send the same request again. */
  | 'transient'
  /** The payer is still entering the password (codepay). */
  | 'in_progress'
  /** No such order / refund (or unpaid, for a refund). */
  | 'not_found'
  /** The order is already closed. */
  | 'closed'
  /** The order is paid, so it cannot be closed. */
  | 'paid'
  /** A business refusal: window passed, refunded, limit reached, balance too low, account problem. */
  | 'refused';

export const CODES: Record<string, { class: CodeClass; meaning: string }> = {
  PARAM_ERROR: { class: 'our_mistake', meaning: '参数错误' },
  INVALID_REQUEST: {
    class: 'our_mistake',
    meaning:
      'violates the API rules (e.g. refund above the refundable amount, past one year, same out_refund_no with another amount)',
  },
  SIGN_ERROR: { class: 'our_mistake', meaning: 'request signature invalid, or its timestamp more than 5 minutes away' },
  APPID_MCHID_NOT_MATCH: { class: 'our_mistake', meaning: 'appid and mchid do not match' },
  MCH_NOT_EXISTS: { class: 'our_mistake', meaning: 'merchant id does not exist' },
  NO_AUTH: { class: 'our_mistake', meaning: 'no permission for this call' },
  OUT_TRADE_NO_USED: { class: 'our_mistake', meaning: 'out_trade_no already used' },
  FREQUENCY_LIMITED: { class: 'rate_limited', meaning: 'too frequent' },
  RATELIMIT_EXCEEDED: { class: 'rate_limited', meaning: 'rate limit exceeded' },
  SYSTEM_ERROR: { class: 'transient', meaning: 'system error: repeat with the same parameters' },
  BANK_ERROR: { class: 'transient', meaning: 'bank error: repeat with the same parameters' },
  SERVICE_UNAVAILABLE: { class: 'transient', meaning: 'service unavailable' },
  USERPAYING: { class: 'in_progress', meaning: '正在支付中不能发起撤销' },
  ORDER_NOT_EXIST: { class: 'not_found', meaning: 'order does not exist' },
  RESOURCE_NOT_EXISTS: { class: 'not_found', meaning: 'order or refund does not exist (or the order is unpaid)' },
  NOT_FOUND: { class: 'not_found', meaning: 'order not found' },
  ORDER_CLOSED: { class: 'closed', meaning: 'order already closed' },
  ORDER_PAID: { class: 'paid', meaning: 'order already paid' },
  ORDERPAID: { class: 'paid', meaning: 'order already paid (v2 spelling)' },
  REVERSE_EXPIRE: { class: 'refused', meaning: 'past the 7-day reversal window' },
  TRADE_ERROR: { class: 'refused', meaning: 'the order cannot take this action in its state' },
  RULE_LIMIT: { class: 'refused', meaning: 'business rule limit (e.g. more than 50 refunds)' },
  ACCOUNT_ERROR: { class: 'refused', meaning: 'account error' },
  NOT_ENOUGH: { class: 'refused', meaning: 'balance too low: top up, then retry with the same out_refund_no' },
  USER_ACCOUNT_ABNORMAL: { class: 'refused', meaning: "the payer's account is abnormal or closed: refund offline" },
};

export const classOf = (code: string): CodeClass | undefined => CODES[code]?.class;

/** Classes an unsigned error answer may be believed for: none of them concludes anything about money. */
export const BELIEVED_UNSIGNED: ReadonlySet<CodeClass> = new Set([
  'our_mistake',
  'rate_limited',
  'transient',
  'in_progress',
]);

/**
 * A refund that turned ABNORMAL (docs/providers/wechatpay.md §6.2): the payer's bank card was frozen or closed, the
 * money came back and reached nobody. WeChat leaves it to the merchant, who refunds the payer another way: by hand in
 * the merchant platform (交易中心) or with the abnormal-refund call (§5.8). Retrying with a new refund key
 * could pay the payer twice once that is done, so the operator marks the case resolved instead.
 */
export const REFUND_ABNORMAL_ACTION =
  "status=ABNORMAL: the refund reached the payer's frozen or closed bank card and came back, " +
  'so no money reached the payer; refund the payer by other means, by hand in the WeChat Pay merchant platform ' +
  '(交易中心) or with the abnormal-refund API, then mark the case resolved';
