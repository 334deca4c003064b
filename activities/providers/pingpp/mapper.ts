// Over 250 lines: every Ping++ answer is given its meaning here and nowhere else (one table per call), so it stays one file.
/**
 * The only place a Ping++ answer gets its meaning (docs/providers/pingpp.md §4–§6).
 *
 * - `refunded: true` only says a refund exists: money is back only for refunds that succeeded, and
 *   a charge is fully refunded only when those add up to its amount and `amount_refunded` agrees.
 * - `paid && reversed` is money sent back by the reversal itself, with no refund object (seed 004):
 *   closed/reversed with `reversedAfterPayment`, never "refunded".
 * - Anything unverified, unparseable, about another charge or self-contradictory is `unknown` on a
 *   query and thrown as untrusted on a write: never success, never a guess.
 */
import {
  configurationError,
  inProgress,
  rateLimited,
  requestRejected,
  transient,
  untrustedResponse,
} from '../../errors.js';
import type { CancelResult, Observation, RefundObservation, RefundResult } from '../../../domain/index.js';
import type { PingppAnswer, PingppCall } from './client.js';
import { appIdOf, PingppCharge, PingppRefund, PingppRefundList } from './wire.js';

/** What an answer must be about. */
export interface ChargeExpected {
  chargeId: string;
  /** Our order_no: the charge must carry it. */
  orderId: string;
  /** The Ping++ app id (OrderRef.merchantId): the charge must belong to it. */
  appId?: string;
  /** The order amount in fen, when the caller knows it. */
  amount?: number;
}

/** How long after `time_expire` an unpaid charge still reads as unpaid: a channel may confirm late [INF]. */
export const EXPIRY_GRACE_MS = 5 * 60_000;
/** When to retry a reverse Ping++ answered with `reversed: false` (the channel has not confirmed yet). */
export const REVERSE_RETRY_MS = 10_000;

type ErrorAnswer = Extract<PingppAnswer, { kind: 'error' }>;

const errorCode = (a: ErrorAnswer): string => `${a.status} ${a.error.type}${a.error.code ? `/${a.error.code}` : ''}`;
/** Ping++'s own words, with anything shaped like an API key masked: error texts end up in workflow history. */
const errorText = (a: ErrorAnswer): string =>
  `${a.error.message ?? a.error.type}${a.error.param ? ` (param ${a.error.param})` : ''}`.replace(
    /\b(sk|rk)_(live|test)_[A-Za-z0-9]+/g,
    '$1_$2_***',
  );

/**
 * Errors that mean the same on every call: 401 is our credentials (API key, or our request
 * signature when we signed), 403 is Ping++'s rate limit as its SDKs read it (§6.2), an
 * `api_error` is Ping++'s own trouble. All are thrown.
 */
function throwCommon(call: PingppCall, a: ErrorAnswer): void {
  const details = { httpStatus: a.status, providerCode: errorCode(a) };
  if (a.status === 401) {
    if (a.signed && /sign|签名/i.test(a.error.message ?? ''))
      throw requestRejected('pingpp', call, `Ping++ refused our request signature: ${errorText(a)}`, details);
    throw configurationError(
      'pingpp',
      `${call}: Ping++ refused our credentials (PINGPP_API_KEY / PINGPP_PRIVATE_KEY_PATH): ${errorText(a)}`,
    );
  }
  if (a.status === 403) throw rateLimited('pingpp', call);
  if (a.error.type === 'api_error') throw transient('pingpp', call, errorText(a), details);
}

/** A refusal of a write: a bad parameter is our mistake; any other "no" is the provider's answer. */
function writeRefusal(
  call: 'reverse' | 'refund',
  a: ErrorAnswer,
): { result: 'rejected'; providerCode: string; message: string } {
  throwCommon(call, a);
  const providerCode = errorCode(a);
  if (a.status === 404)
    throw requestRejected('pingpp', call, `Ping++ knows no such charge: check providerOrderId (${errorText(a)})`, {
      httpStatus: 404,
      providerCode,
    });
  if (a.error.type === 'invalid_request_error' && a.error.param)
    throw requestRejected('pingpp', call, errorText(a), { httpStatus: a.status, providerCode });
  return { result: 'rejected', providerCode, message: errorText(a) };
}

/** A 2xx a write can rest on: signed by Ping++ (when we can check) and of the expected shape. */
function trustedObject<T>(
  call: PingppCall,
  a: Exclude<PingppAnswer, ErrorAnswer>,
  parse: (body: unknown) => T | undefined,
): T {
  if (a.kind === 'unreadable') throw untrustedResponse('pingpp', call, a.why);
  if (a.signature === 'invalid' || a.signature === 'missing')
    throw untrustedResponse('pingpp', call, `response signature ${a.signature}`);
  const value = parse(a.body);
  if (value === undefined) throw untrustedResponse('pingpp', call, 'unexpected response fields');
  return value;
}

const parseWith =
  <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) =>
  (body: unknown): T | undefined => {
    const r = schema.safeParse(body);
    return r.success ? r.data : undefined;
  };

/** Why a charge is not the one we asked about, or undefined when it is. */
function notOurs(c: PingppCharge, e: ChargeExpected): string | undefined {
  if (c.id !== e.chargeId) return `answer is about charge ${c.id}, not ${e.chargeId}`;
  if (c.order_no !== e.orderId) return `charge ${c.id} carries order_no ${c.order_no}, not ${e.orderId}`;
  const app = appIdOf(c.app);
  if (e.appId && app && app !== e.appId) return `charge ${c.id} belongs to app ${app}, not ${e.appId}`;
  if (e.amount !== undefined && c.amount !== e.amount) return `charge ${c.id} is for ${c.amount}, not ${e.amount}`;
  return undefined;
}

/**
 * GET /v1/charges/{id} → Observation. `allRefunds` is every refund of the charge when the
 * embedded first page said `has_more` and the caller fetched the rest ('unavailable' if it could not).
 */
export function mapCharge(
  a: PingppAnswer,
  e: ChargeExpected,
  nowMs: number,
  allRefunds?: PingppRefund[] | 'unavailable',
): Observation {
  if (a.kind === 'unreadable')
    return { status: 'unknown', reason: `charge answer unreadable: ${a.why}`, providerCode: 'unreadable' };
  if (a.kind === 'error') return mapQueryError(a);
  if (a.signature === 'invalid' || a.signature === 'missing')
    return { status: 'unknown', reason: `charge answer signature ${a.signature}`, providerCode: 'signature' };
  const parsed = PingppCharge.safeParse(a.body);
  if (!parsed.success)
    return { status: 'unknown', reason: 'charge answer has unexpected fields', providerCode: 'unparseable' };
  const c = parsed.data;
  const mismatch = notOurs(c, e);
  if (mismatch) return { status: 'unknown', reason: mismatch, providerCode: 'not_ours' };
  return chargeState(c, nowMs, allRefunds);
}

function mapQueryError(a: ErrorAnswer): Observation {
  throwCommon('query', a);
  const providerCode = errorCode(a);
  if (a.status === 404 && a.error.type === 'invalid_request_error') return { status: 'not_found', providerCode };
  if (a.status === 400 && a.error.type === 'invalid_request_error')
    throw requestRejected('pingpp', 'query', errorText(a), { httpStatus: 400, providerCode });
  return { status: 'unknown', reason: `Ping++ answered ${errorText(a)}`, providerCode };
}

function chargeState(
  c: PingppCharge,
  nowMs: number,
  allRefunds: PingppRefund[] | 'unavailable' | undefined,
): Observation {
  const facts = {
    providerOrderId: c.id,
    amount: c.amount,
    payType: c.channel,
    paidAt: c.time_paid ? new Date(c.time_paid * 1000).toISOString() : undefined,
  };
  const code = `paid=${c.paid},reversed=${c.reversed},refunded=${c.refunded},amount_refunded=${c.amount_refunded}`;
  const unknown = (reason: string): Observation => ({ status: 'unknown', reason, providerCode: code, ...facts });
  const moneyBack = c.refunded || c.amount_refunded > 0;

  if (!c.paid) {
    if (moneyBack || c.time_paid) return unknown('an unpaid charge shows refunds or a payment time');
    if (c.reversed)
      return { status: 'closed', reason: 'reversed', reversedAfterPayment: false, providerCode: code, ...facts };
    if (c.failure_code)
      return { status: 'closed', reason: 'failed', providerCode: `${code},failure_code=${c.failure_code}`, ...facts };
    if (c.time_expire && nowMs > c.time_expire * 1000 + EXPIRY_GRACE_MS)
      return { status: 'closed', reason: 'expired', providerCode: `${code},expired`, ...facts };
    return { status: 'unpaid', providerCode: code, ...facts };
  }
  // Paid and reversed: the reversal sent the money back; there is no refund to wait for.
  if (c.reversed)
    return { status: 'closed', reason: 'reversed', reversedAfterPayment: true, providerCode: code, ...facts };
  if (!c.refunded) {
    if (c.amount_refunded > 0 || (c.refunds?.data.length ?? 0) > 0)
      return unknown('refunded=false, yet refunds are shown');
    return { status: 'paid', providerCode: code, ...facts };
  }

  if (allRefunds === 'unavailable')
    return unknown('more refunds than the charge shows, and the full list could not be read');
  const refunds = allRefunds ?? (c.refunds && !c.refunds.has_more ? c.refunds.data : undefined);
  if (!refunds) return unknown('the charge does not show all of its refunds');
  if (refunds.length === 0) return unknown('refunded=true, yet no refund is listed');
  const odd = refunds.find((r) => !['pending', 'succeeded', 'failed'].includes(r.status));
  if (odd) return unknown(`refund ${odd.id} has unrecognised status ${odd.status}`);
  const succeeded = refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
  if (succeeded > c.amount) return unknown(`succeeded refunds (${succeeded}) exceed the charge amount (${c.amount})`);
  if (refunds.some((r) => r.status === 'pending'))
    return { status: 'refunding', refundedAmount: succeeded, providerCode: `${code},pending`, ...facts };
  if (c.amount_refunded !== succeeded)
    return unknown(`amount_refunded ${c.amount_refunded} disagrees with the succeeded refunds (${succeeded})`);
  if (succeeded === 0) return { status: 'paid', providerCode: `${code},refunds failed`, ...facts };
  return { status: 'refunded', refundedAmount: succeeded, full: succeeded === c.amount, providerCode: code, ...facts };
}

/** POST /v1/charges/{id}/reverse → CancelResult. `reversed: false` means the channel has not confirmed yet. */
export function mapReverse(a: PingppAnswer, e: ChargeExpected): CancelResult {
  if (a.kind === 'error') return writeRefusal('reverse', a);
  const c = trustedObject('reverse', a, parseWith(PingppCharge));
  const mismatch = notOurs(c, e);
  if (mismatch) throw untrustedResponse('pingpp', 'reverse', mismatch);
  const code = `reversed=${c.reversed},paid=${c.paid}`;
  if (!c.reversed) throw inProgress('pingpp', 'reverse', code, REVERSE_RETRY_MS);
  return {
    result: 'done',
    providerCode: code,
    message: c.paid ? 'paid charge reversed: the money goes back to the payer' : undefined,
  };
}

/** What a created refund must be. */
export interface RefundExpected {
  chargeId: string;
  refundKey: string;
  amount: number;
}

/** When to retry a refund the channel answered busy (`402 channel_error/channel_busy`). */
export const CHANNEL_BUSY_RETRY_MS = 10_000;

/**
 * POST /v1/charges/{id}/refunds → RefundResult. `channel_busy` is the channel asking us to come back (§6.2: a
 * 402 refund is re-retrieved, then maybe retried): in_progress, so the activity retries, and every attempt lists
 * the charge's refunds before creating one (index.ts), so a refund the busy answer hid is found, not made twice.
 */
export function mapRefundCreated(a: PingppAnswer, e: RefundExpected): RefundResult {
  if (a.kind === 'error' && a.status === 402 && a.error.type === 'channel_error' && a.error.code === 'channel_busy')
    throw inProgress('pingpp', 'refund', errorCode(a), CHANNEL_BUSY_RETRY_MS);
  if (a.kind === 'error') return writeRefusal('refund', a);
  const r = trustedObject('refund', a, parseWith(PingppRefund));
  if (r.charge && r.charge !== e.chargeId)
    throw untrustedResponse('pingpp', 'refund', `refund ${r.id} belongs to charge ${r.charge}`);
  if (r.amount !== e.amount)
    throw untrustedResponse('pingpp', 'refund', `refund ${r.id} is for ${r.amount}, not ${e.amount}`);
  const key = r.metadata?.refund_key;
  if (key !== undefined && key !== e.refundKey)
    throw untrustedResponse('pingpp', 'refund', `refund ${r.id} carries another refund_key`);
  return refundResultOf(r);
}

/** A refund's status as the result of asking for it. */
export function refundResultOf(r: PingppRefund): RefundResult {
  const providerCode = `status=${r.status}`;
  if (r.status === 'succeeded') return { result: 'succeeded', providerCode, refundId: r.id };
  if (r.status === 'failed') {
    return {
      result: 'rejected',
      providerCode: `${providerCode}${r.failure_code ? `,failure_code=${r.failure_code}` : ''}`,
      refundId: r.id,
      message: r.failure_msg ?? 'the refund failed at the channel',
    };
  }
  // pending, or a status we do not know: the refund exists; queryRefund follows it.
  return {
    result: 'accepted',
    providerCode: r.status === 'pending' ? providerCode : `${providerCode} (unrecognised)`,
    refundId: r.id,
  };
}

/** One page of GET /v1/charges/{id}/refunds, or `no_such_charge` on Ping++'s 404. Anything else is thrown. */
export function readRefundPage(
  call: 'query' | 'refund' | 'queryRefund',
  a: PingppAnswer,
  chargeId: string,
): PingppRefundList | 'no_such_charge' {
  if (a.kind === 'error') {
    throwCommon(call, a);
    if (a.status === 404 && a.error.type === 'invalid_request_error') return 'no_such_charge';
    if (a.status === 400)
      throw requestRejected('pingpp', call, `listing refunds: ${errorText(a)}`, {
        httpStatus: 400,
        providerCode: errorCode(a),
      });
    throw untrustedResponse('pingpp', call, `listing refunds answered ${errorCode(a)}`);
  }
  const page = trustedObject(call, a, parseWith(PingppRefundList));
  const stranger = page.data.find((r) => r.charge && r.charge !== chargeId);
  if (stranger)
    throw untrustedResponse('pingpp', call, `refund list holds refund ${stranger.id} of charge ${stranger.charge}`);
  return page;
}

/** Whether a charge answer shows only the first page of its refunds (the rest must be listed). */
export const showsPartialRefunds = (a: PingppAnswer): boolean =>
  a.kind === 'object' && (a.body as { refunds?: { has_more?: unknown } } | null)?.refunds?.has_more === true;

/** The refunds carrying our key in `metadata.refund_key`. */
export const refundsWithKey = (refunds: PingppRefund[], refundKey: string): PingppRefund[] =>
  refunds.filter((r) => r.metadata?.refund_key === refundKey);

/** Money already committed by refunds that did not fail (pending ones will pay out). */
export const committedRefunds = (refunds: PingppRefund[]): number =>
  refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);

/**
 * queryRefund: the refund(s) carrying our key. A failed one is reported only when no other
 * attempt with the key is alive; several live ones (someone else's retry) are summed.
 */
export function observeRefund(refunds: PingppRefund[], refundKey: string): RefundObservation {
  const mine = refundsWithKey(refunds, refundKey);
  if (mine.length === 0)
    return { status: 'not_found', providerCode: `no refund with metadata.refund_key ${refundKey}` };
  const alive = mine.filter((r) => r.status !== 'failed');
  if (alive.length === 0) {
    const failed = mine[0]!;
    return {
      status: 'failed',
      providerCode: `status=failed${failed.failure_code ? `,failure_code=${failed.failure_code}` : ''}`,
      refundId: failed.id,
      amount: failed.amount,
    };
  }
  const amount = alive.reduce((sum, r) => sum + r.amount, 0);
  const suffix = alive.length > 1 ? `,${alive.length} refunds carry this key` : '';
  const pending = alive.find((r) => r.status !== 'succeeded');
  if (pending) {
    const known = pending.status === 'pending' ? '' : ' (unrecognised)';
    return {
      status: 'processing',
      providerCode: `status=${pending.status}${known}${suffix}`,
      refundId: pending.id,
      amount,
    };
  }
  return { status: 'succeeded', providerCode: `status=succeeded${suffix}`, refundId: alive[0]!.id, amount };
}
