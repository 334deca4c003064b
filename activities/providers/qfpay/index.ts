/**
 * The QFPay adapter (docs/providers/qfpay.md): query, reversal, close, refund and refund query on /trade/v1.
 *
 * OrderRef needs: orderId = out_trade_no; providerOrderId = syssn (optional: looked up by
 * out_trade_no when missing); merchantId = the configured mchid (when one is configured);
 * amount and createdAt for reversal and close, which must name the original txamt and txdtm. createdAt also
 * sets the months a lookup by out_trade_no searches (§4.2): without it only the current month is searched,
 * and finding nothing there is `unknown`, never `not_found`.
 * Which of reversal or close fits a pay type is the workflow's policy; both are offered here.
 */
import { requestRejected, untrustedResponse } from '../../errors.js';
import { PROVIDER_RULES } from '../../../workflows/rules.js';
import { textRefusal, type ProviderDescriptor } from '../descriptor.js';
import { qfpayEnv, type QfpayConfig } from './config.js';
import { QFPAY_NOTICE_ACK, verifyQfpayNotification } from './notification.js';
import type { ProviderAdapter } from '../provider.js';
import type { Observation, OrderRef, RefundObservation } from '../../../domain/index.js';
import { QfpayClient } from './client.js';
import { mapCancel, mapRefund, observeOrder, observeRefund, refundFromExisting, type QfpayExpected } from './mapper.js';
import { lookUp } from './lookup.js';
import { assertMerchant, creationTime, originalTransaction, paymentLookup } from './order-ref.js';
import { qfpayTime } from './time.js';

const ONLY_THIS_MONTH = 'without OrderRef.createdAt no earlier month can be searched (docs/providers/qfpay.md §4.2)';

/** No row answers to the order: not_found only if every month it could be in was searched. */
const nothingFound = (everyMonth: boolean): Observation =>
  everyMonth
    ? { status: 'not_found', providerCode: 'no rows' }
    : { status: 'unknown', reason: `no rows in the current month; ${ONLY_THIS_MONTH}`, providerCode: 'month_unknown' };

/** Build the QFPay adapter. `timeoutMs` bounds each HTTP request. */
export function createQfpayAdapter(config: QfpayConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new QfpayClient(config, options);
  const expected = (order: OrderRef): QfpayExpected => ({
    orderId: order.orderId,
    syssn: order.providerOrderId || undefined,
    amount: order.amount,
  });

  /**
   * Query the payment; not found by syssn is asked again by out_trade_no before concluding (§9). Not found is
   * only concluded when every month since createdAt was searched (§4.2).
   */
  const observe = async (order: OrderRef, call: string, signal?: AbortSignal): Promise<Observation> => {
    assertMerchant(config, order);
    const created = creationTime(order);
    const key = paymentLookup(order);
    const by = 'syssn' in key ? 'syssn' : 'out_trade_no';
    const first = await lookUp(client, call, key, created, signal);
    if (!first.ok) return first.observation;
    const seen = observeOrder(first.rows, expected(order), by);
    if (seen || by === 'out_trade_no') return seen ?? nothingFound(first.everyMonth);
    const again = await lookUp(client, call, { out_trade_no: order.orderId }, created, signal);
    if (!again.ok) return again.observation;
    return observeOrder(again.rows, expected(order), 'out_trade_no') ?? nothingFound(again.everyMonth);
  };

  /** Look up a refund by its out_trade_no (our refund key), in every month since the order's createdAt. */
  const findRefund = async (
    call: string,
    order: OrderRef,
    refundKey: string,
    syssn: string | undefined,
    signal?: AbortSignal,
  ): Promise<RefundObservation> => {
    const read = await lookUp(client, call, { out_trade_no: refundKey }, creationTime(order), signal);
    if (!read.ok) throw untrustedResponse('qfpay', call, read.observation.reason);
    const found = observeRefund(call, read.rows, { refundKey, syssn });
    if (found.status === 'not_found' && !read.everyMonth) {
      throw untrustedResponse('qfpay', call, `refund ${refundKey} is not in the current month, and ${ONLY_THIS_MONTH}`);
    }
    return found;
  };

  /** The payment's syssn, which a refund must name (§5.4, gotcha G2). */
  const syssnFor = async (order: OrderRef, signal?: AbortSignal): Promise<string> => {
    if (order.providerOrderId) return order.providerOrderId;
    const seen = await observe(order, 'refund', signal);
    if (seen.status === 'unknown') throw untrustedResponse('qfpay', 'refund', `looking up the syssn: ${seen.reason}`);
    if (!seen.providerOrderId)
      throw requestRejected(
        'qfpay',
        'refund',
        `QFPay shows no payment with out_trade_no ${order.orderId}: supply OrderRef.providerOrderId (syssn)`,
      );
    return seen.providerOrderId;
  };

  const cancel = async (call: 'reverse' | 'close', order: OrderRef, signal?: AbortSignal) => {
    assertMerchant(config, order);
    const params = { ...paymentLookup(order), ...originalTransaction(order, call) };
    return mapCancel(
      call,
      await client.send(call, { endpoint: call === 'reverse' ? 'reversal' : 'close', params }, signal),
      expected(order),
    );
  };

  return {
    id: 'qfpay',
    queryOrder: (order, signal) => observe(order, 'query', signal),
    reverseOrder: (order, signal) => cancel('reverse', order, signal),
    closeOrder: (order, signal) => cancel('close', order, signal),
    async refundOrder(order, refund, signal) {
      assertMerchant(config, order);
      if (!refund.refundKey || refund.refundKey.length > 128)
        throw requestRejected('qfpay', 'refund', 'the refund key (out_trade_no) must be 1-128 characters');
      if (!Number.isSafeInteger(refund.amount) || refund.amount <= 0)
        throw requestRejected(
          'qfpay',
          'refund',
          `refund amount ${refund.amount} is not a positive number of minor units`,
        );
      const syssn = await syssnFor(order, signal);
      // The refund key is the refund's out_trade_no, unique per merchant: a retry reuses it (§5.4).
      const params = {
        syssn,
        out_trade_no: refund.refundKey,
        txamt: String(refund.amount),
        txdtm: qfpayTime(new Date()),
      };
      const answer = mapRefund(await client.send('refund', { endpoint: 'refund', params }, signal), {
        syssn,
        refundKey: refund.refundKey,
        amount: refund.amount,
      });
      if (answer.kind === 'result') return answer.result;
      // The key was used before: an earlier attempt may have landed. The refund it names decides.
      const existing = await findRefund('refund', order, refund.refundKey, syssn, signal);
      return refundFromExisting(existing, refund, answer.providerCode);
    },
    async queryRefund(order, refundKey, signal) {
      assertMerchant(config, order);
      return findRefund('queryRefund', order, refundKey, order.providerOrderId || undefined, signal);
    },
  };
}

export { QFPAY_NOTICE_ACK, verifyQfpayNotification } from './notification.js';

/** Qfpay as the rest of Rescind sees it (docs/adding-a-provider.md). */
export const qfpayProvider: ProviderDescriptor<'qfpay', QfpayConfig> = {
  id: 'qfpay',
  env: qfpayEnv,
  createAdapter: createQfpayAdapter,
  notifications: {
    contentType: 'application/json',
    verify: verifyQfpayNotification,
    ack: QFPAY_NOTICE_ACK,
    // QFPay retries until it reads HTTP 200 with the body SUCCESS.
    refuse: textRefusal('FAIL'),
  },
  defaultMerchant: (config) => config.mchid,
  rules: PROVIDER_RULES.qfpay,
};
