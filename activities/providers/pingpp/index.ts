/**
 * The Ping++ adapter (docs/providers/pingpp.md): retrieve, reverse, and refunds that look before they write.
 *
 * OrderRef needs providerOrderId = the ch_ charge id (Ping++ finds charges by nothing else),
 * orderId = the charge's order_no, merchantId = the app id; amount and payType (the channel) help.
 * Ping++ has no close: an unpaid charge is reversed, or expires at time_expire.
 */
import { PROVIDER_RULES } from '../../../workflows/rules.js';
import { jsonEventId, textRefusal, type ProviderDescriptor } from '../descriptor.js';
import { pingppEnv, type PingppConfig } from './config.js';
import { PINGPP_NOTICE_ACK, verifyPingppNotification } from './notification.js';
import { FailureType, isProviderError, notSupported, requestRejected, untrustedResponse } from '../../errors.js';
import type { ProviderAdapter } from '../provider.js';
import type { OrderRef, RefundResult } from '../../../domain/index.js';
import { PingppClient, type PingppCall } from './client.js';
import {
  committedRefunds,
  mapCharge,
  mapRefundCreated,
  mapReverse,
  observeRefund,
  readRefundPage,
  refundResultOf,
  refundsWithKey,
  showsPartialRefunds,
  type ChargeExpected,
} from './mapper.js';
import { refundBody } from './refund-body.js';
import type { PingppRefund } from './wire.js';

/** Refund pages read at most (100 refunds each) before the list is declared unreadable. */
const MAX_REFUND_PAGES = 20;

/** Build the Ping++ adapter. `timeoutMs` bounds each HTTP request. */
export function createPingppAdapter(config: PingppConfig, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const client = new PingppClient(config, options);

  const chargeIdOf = (order: OrderRef, call: PingppCall): string => {
    if (!order.providerOrderId) {
      throw requestRejected(
        'pingpp',
        call,
        'OrderRef.providerOrderId (the Ping++ ch_ charge id) is required: Ping++ finds a charge by nothing else',
      );
    }
    return order.providerOrderId;
  };
  const chargePath = (chargeId: string): string => `/v1/charges/${encodeURIComponent(chargeId)}`;
  const expected = (order: OrderRef, call: PingppCall): ChargeExpected => ({
    chargeId: chargeIdOf(order, call),
    orderId: order.orderId,
    appId: order.merchantId || undefined,
    amount: order.amount,
  });

  /** Every refund of the charge, all pages; `no_such_charge` when Ping++ does not know it. */
  async function listRefunds(
    call: 'query' | 'refund' | 'queryRefund',
    chargeId: string,
    signal?: AbortSignal,
  ): Promise<PingppRefund[] | 'no_such_charge'> {
    const all: PingppRefund[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_REFUND_PAGES; page += 1) {
      const query: Record<string, string> = after ? { limit: '100', starting_after: after } : { limit: '100' };
      const read = readRefundPage(
        call,
        await client.send(call, { method: 'GET', path: `${chargePath(chargeId)}/refunds`, query }, signal),
        chargeId,
      );
      if (read === 'no_such_charge') return read;
      all.push(...read.data);
      if (!read.has_more) return all;
      if (read.data.length === 0) throw untrustedResponse('pingpp', call, 'refund list says has_more on an empty page');
      after = read.data[read.data.length - 1]!.id;
    }
    throw untrustedResponse(
      'pingpp',
      call,
      `more than ${MAX_REFUND_PAGES * 100} refunds: the list cannot be read to its end`,
    );
  }

  return {
    id: 'pingpp',

    async queryOrder(order, signal) {
      const e = expected(order, 'query');
      const answer = await client.send('query', { method: 'GET', path: chargePath(e.chargeId) }, signal);
      let all: PingppRefund[] | 'unavailable' | undefined;
      if (showsPartialRefunds(answer)) {
        try {
          const listed = await listRefunds('query', e.chargeId, signal);
          all = listed === 'no_such_charge' ? 'unavailable' : listed;
        } catch (err) {
          if (!isProviderError(err) || err.type !== FailureType.UntrustedResponse) throw err;
          all = 'unavailable';
        }
      }
      return mapCharge(answer, e, Date.now(), all);
    },

    async closeOrder() {
      throw notSupported('pingpp', 'closeOrder');
    },

    async reverseOrder(order, signal) {
      const e = expected(order, 'reverse');
      return mapReverse(
        await client.send('reverse', { method: 'POST', path: `${chargePath(e.chargeId)}/reverse`, body: {} }, signal),
        e,
      );
    },

    async refundOrder(order, refund, signal): Promise<RefundResult> {
      const chargeId = chargeIdOf(order, 'refund');
      if (!Number.isInteger(refund.amount) || refund.amount <= 0)
        throw requestRejected('pingpp', 'refund', `amount must be a positive integer in fen, got ${refund.amount}`);
      // Ping++ refunds are not idempotent (docs/providers/pingpp.md §7): find our key before creating anything.
      const listed = await listRefunds('refund', chargeId, signal);
      if (listed === 'no_such_charge')
        throw requestRejected('pingpp', 'refund', `Ping++ knows no charge ${chargeId}: check providerOrderId`, {
          httpStatus: 404,
        });
      const mine = refundsWithKey(listed, refund.refundKey);
      const existing = mine.find((r) => r.status !== 'failed') ?? mine[0];
      if (existing) {
        const seen = refundResultOf(existing);
        return seen.result === 'succeeded' ? { ...seen, result: 'already' } : seen;
      }
      const total = order.amount ?? refund.totalAmount;
      const left = total - committedRefunds(listed);
      if (refund.amount > left) {
        return {
          result: 'rejected',
          providerCode: 'exceeds_refundable',
          message: `asked to refund ${refund.amount}, but only ${left} of ${total} is not yet refunded`,
        };
      }
      const answer = await client.send(
        'refund',
        { method: 'POST', path: `${chargePath(chargeId)}/refunds`, body: refundBody(refund, order.payType) },
        signal,
      );
      return mapRefundCreated(answer, { chargeId, refundKey: refund.refundKey, amount: refund.amount });
    },

    async queryRefund(order, refundKey, signal) {
      const chargeId = chargeIdOf(order, 'queryRefund');
      const listed = await listRefunds('queryRefund', chargeId, signal);
      if (listed === 'no_such_charge')
        return { status: 'not_found', providerCode: '404 invalid_request_error (no such charge)' };
      return observeRefund(listed, refundKey);
    },
  };
}

export { PINGPP_NOTICE_ACK, verifyPingppNotification } from './notification.js';

/** Pingpp as the rest of Rescind sees it (docs/adding-a-provider.md). */
export const pingppProvider: ProviderDescriptor<'pingpp', PingppConfig> = {
  id: 'pingpp',
  env: pingppEnv,
  createAdapter: createPingppAdapter,
  notifications: {
    contentType: 'application/json',
    verify: verifyPingppNotification,
    eventId: jsonEventId,
    ack: PINGPP_NOTICE_ACK,
    // Ping++ retries anything but 2xx.
    refuse: textRefusal('fail'),
  },
  providerOrderIdRequired:
    'providerOrderId is required for pingpp (the ch_ charge id): Ping++ queries charges only by it',
  defaultMerchant: (config) => config.appId,
  rules: PROVIDER_RULES.pingpp,
};
