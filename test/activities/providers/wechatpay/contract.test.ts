/**
 * The WeChat Pay adapter against the sandbox over real HTTP: the shared contract (../contract/suite.ts)
 * with WeChat Pay's answers (docs/providers/wechatpay.md §5). What only WeChat Pay has is in
 * contract-query, contract-cancel and contract-refund.
 */
import { wechatpayProvider } from '../../../../activities/providers/wechatpay/index.js';
import { WECHATPAY_NOT_YET_VISIBLE_RETRY_MS } from '../../../../activities/providers/wechatpay/mapper.js';
import type { WechatpayConfig } from '../../../../activities/providers/wechatpay/config.js';
import { FAULT_KINDS } from '../../../../sandbox/faults.js';
import { like, thrown } from '../contract/outcomes.js';
import type { CancelRow, ProviderContract } from '../contract/spec.js';
import { describeProviderContract } from '../contract/suite.js';
import { WECHATPAY_ORDERS } from './contract-helpers.js';
import { PLATFORM_PRIVATE } from './fixtures.js';

const CODEPAY = { payType: 'MICROPAY' };
const closed204 = { result: 'done', providerCode: 'HTTP_204' };
const reversed200 = { result: 'done', providerCode: 'HTTP_200' };
const orderPaid = { result: 'rejected', providerCode: 'ORDER_PAID', message: '订单已支付' };

/** §5.3: close answers 204 for every order not paid (confirm by query); a paid one is refused ORDER_PAID. */
const closeRows: CancelRow[] = [
  ...(['unpaid', 'paying', 'failed'] as const).map((state) => ({
    state,
    answer: closed204,
    repeat: closed204,
    after: 'closed' as const,
  })),
  ...(['closed', 'expired', 'reversed'] as const).map((state) => ({
    state,
    answer: closed204,
    repeat: closed204,
    after: state,
  })),
  ...(['paid', 'refunded', 'partially_refunded'] as const).map((state) => ({
    state,
    answer: orderPaid,
    repeat: orderPaid,
    after: state,
  })),
];

/** §5.4, codepay: an order not paid is reversed without money; a closed one is already; a refunded one is refused. */
const reverseRows: CancelRow[] = [
  ...(['unpaid', 'paying', 'failed'] as const).map((state) => ({
    state,
    answer: reversed200,
    repeat: reversed200,
    after: 'reversed' as const,
  })),
  {
    state: 'closed',
    answer: like({ result: 'already', providerCode: 'ORDER_CLOSED' }),
    repeat: like({ result: 'already', providerCode: 'ORDER_CLOSED' }),
    after: 'closed',
  },
  {
    state: 'partially_refunded',
    answer: like({ result: 'rejected', providerCode: 'TRADE_ERROR' }),
    repeat: like({ result: 'rejected', providerCode: 'TRADE_ERROR' }),
    after: 'partially_refunded',
  },
];

const WECHATPAY: ProviderContract<WechatpayConfig> = {
  descriptor: wechatpayProvider,
  order: { amount: WECHATPAY_ORDERS.amount, payType: WECHATPAY_ORDERS.payType },
  providerOrderIdKnown: WECHATPAY_ORDERS.providerOrderIdKnown,
  refundKey: (order, n) => `${order.orderId}-RF${n}`,
  notSupported: [],
  query: {
    orderExtra: CODEPAY,
    echoes: ['payType'],
    byState: {
      unpaid: { status: 'unpaid', providerCode: 'trade_state=NOTPAY' },
      paying: { status: 'paying', providerCode: 'trade_state=USERPAYING' },
      paid: { status: 'paid', providerCode: 'trade_state=SUCCESS' },
      closed: { status: 'closed', reason: 'closed', providerCode: 'trade_state=CLOSED' },
      expired: { status: 'closed', reason: 'closed', providerCode: 'trade_state=CLOSED' },
      reversed: {
        status: 'closed',
        reason: 'reversed',
        reversedAfterPayment: false,
        providerCode: 'trade_state=REVOKED',
      },
      failed: { status: 'closed', reason: 'failed', providerCode: 'trade_state=PAYERROR' },
      // REFUND says nothing of the size: never "full".
      refunded: { status: 'refunded', refundedAmount: 0, full: false, providerCode: 'trade_state=REFUND' },
      partially_refunded: { status: 'refunded', refundedAmount: 0, full: false, providerCode: 'trade_state=REFUND' },
    },
    // Beijing success_time.
    paidAt: { format: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/, withinMs: 60_000 },
    // A payer still entering the password.
    whilePaying: { extra: CODEPAY, reads: 'paying' },
    neverSeen: {
      ref: (order) => ({ ...order, orderId: 'NOSUCHORDER123', providerOrderId: undefined }),
      reads: { status: 'not_found', providerCode: 'ORDER_NOT_EXIST' },
    },
    foreignOrder: like({ status: 'unknown', providerCode: 'other_order' }),
    badSignature: {
      status: 'unknown',
      reason: 'Wechatpay-Signature did not verify',
      providerCode: 'signature_invalid',
    },
    inProgress: { reads: like({ status: 'paying', providerCode: 'trade_state=USERPAYING' }) },
  },
  cancels: { close: { rows: closeRows }, reverse: { orderExtra: CODEPAY, rows: reverseRows } },
  writeFaults: {
    close: {
      state: 'unpaid',
      kinds: FAULT_KINDS,
      applied: 'closed',
      afterApplied: 'done',
      afterNothing: 'done',
      money: { payments: 0, refunds: 0, reversals: 0 },
    },
    reverse: {
      state: 'paid',
      extra: CODEPAY,
      kinds: FAULT_KINDS,
      applied: 'reversed',
      afterApplied: 'done',
      afterNothing: 'done',
      money: { payments: 1, refunds: 0, reversals: 1 },
    },
    // The same out_refund_no returns the same refund: a retry is "succeeded" either way, with exactly one refund.
    refund: {
      state: 'paid',
      kinds: FAULT_KINDS,
      applied: 'refunded',
      afterApplied: 'succeeded',
      afterNothing: 'succeeded',
      money: { payments: 1, refunds: 1, reversals: 0 },
    },
  },
  refund: {
    first: { result: 'succeeded', providerCode: 'status=SUCCESS', refundId: expect.stringMatching(/^\d{29}$/) },
    // The same out_refund_no returns the same refund, never a second one.
    repeat: (first) => first,
    queryAfter: like({ status: 'refunded', full: false, providerCode: 'trade_state=REFUND' }),
    refundQueryAfter: (first) => ({ answer: like({ status: 'succeeded', refundId: first.refundId, amount: 4200 }) }),
  },
  // RESOURCE_NOT_EXISTS: retried as transient, since a new payment may not be visible yet.
  refundRefused: (['unpaid', 'paying', 'closed', 'failed'] as const).map((state) => [
    state,
    thrown('transient', {
      details: like({
        httpStatus: 404,
        providerCode: 'RESOURCE_NOT_EXISTS',
        retryAfterMs: WECHATPAY_NOT_YET_VISIBLE_RETRY_MS,
      }),
    }),
  ]),
  // A paid codepay order: the money goes back exactly once, however often it is reversed.
  reversePaid: {
    extra: CODEPAY,
    answer: like({ result: 'done' }),
    repeat: like({ result: 'done' }),
    queryAfter: like({ status: 'closed', reason: 'reversed', reversedAfterPayment: true }),
    money: { payments: 1, refunds: 0, reversals: 1 },
  },
  // The sandbox refuses our request (401 SIGN_ERROR, unsigned) signed with a wrong key, and that is our mistake.
  wrongSecrets: [
    {
      name: 'a wrong private key',
      config: { privateKeyPem: PLATFORM_PRIVATE },
      refusedAs: thrown('request_rejected', { details: like({ httpStatus: 401, providerCode: 'SIGN_ERROR' }) }),
    },
  ],
  wrongBaseUrl: {
    query: like({ status: 'unknown', providerCode: 'HTTP_404', reason: 'HTTP 404 without an error body' }),
    write: thrown('untrusted_response'),
  },
  refundQuery: {
    kinds: ['http_500', 'timeout', 'reset', 'applied_response_lost', 'rate_limit', 'bad_signature'],
    // The refund still PROCESSING.
    inProgress: like({ status: 'processing', providerCode: 'status=PROCESSING' }),
    unknownKey: { status: 'not_found', providerCode: 'RESOURCE_NOT_EXISTS' },
  },
  noticeMerchant: (order) => order.merchantId,
};

describeProviderContract(WECHATPAY);
