/**
 * The QFPay `respcd` table (docs/providers/qfpay.md §6), each code with the class that decides what it means
 * for a cancellation. The mapper reads meanings only through this table; a code missing here is
 * unrecognised and never read as success.
 */

/** What a respcd says, before knowing which call it answered. */
export type RespcdClass =
  | 'success'
  | 'in_progress'
  | 'already_paid'
  | 'not_paid'
  | 'refunded'
  | 'cancelled'
  | 'closed'
  | 'expired'
  | 'not_found'
  | 'mismatch'
  | 'cancel_unsupported'
  | 'denied'
  | 'retry_later'
  | 'partial_unsupported'
  | 'over_refund'
  | 'reversal_error'
  | 'duplicate'
  | 'bad_request'
  | 'bad_signature'
  | 'config'
  | 'payment_failed'
  | 'bank_busy'
  | 'forbidden'
  | 'transient';

export interface RespcdEntry {
  class: RespcdClass;
  meaning: string;
}

const entries = (cls: RespcdClass, codes: Record<string, string>): [string, RespcdEntry][] =>
  Object.entries(codes).map(([code, meaning]) => [code, { class: cls, meaning }]);

/** Every documented code (current docs plus the old appendix codes the reference lists). */
export const RESPCD: Readonly<Record<string, RespcdEntry>> = Object.fromEntries([
  ...entries('success', { '0000': 'success' }),
  ...entries('in_progress', {
    '1143': 'not paid yet / customer entering password',
    '1145': 'processing, please wait',
    '1298': 'slow network; if already paid do not pay again; confirm later',
    '2999': 'channel processing',
    '1161': 'result unknown, query it',
  }),
  ...entries('already_paid', { '1260': 'order already paid' }),
  ...entries('not_paid', { '1261': 'order not paid' }),
  ...entries('refunded', { '1262': 'order already refunded', '1125': 'already refunded' }),
  ...entries('cancelled', { '1263': 'order already cancelled' }),
  ...entries('closed', { '1264': 'order already closed', '1142': 'order closed' }),
  ...entries('expired', { '1181': 'order expired' }),
  ...entries('not_found', {
    '1136': 'transaction does not exist',
    '1268': 'transaction does not exist or cannot be operated',
  }),
  ...entries('mismatch', { '1266': 'amount wrong', '1267': 'order information mismatch' }),
  ...entries('cancel_unsupported', { '1150': 'billing method T0: does not support cancelling transactions' }),
  ...entries('denied', { '1155': 'refund request denied' }),
  ...entries('retry_later', {
    '1265': 'no refunds 23:30-00:30 or during promotions',
    '1269': "today's unsettled amount is insufficient",
  }),
  ...entries('partial_unsupported', { '1270': 'partial refund not supported', '1271': 'partial refund not supported' }),
  ...entries('over_refund', { '1272': 'refund exceeds the refundable amount' }),
  ...entries('reversal_error', { '1101': 'reversal error' }),
  ...entries('duplicate', { '1102': 'duplicate request', '2011': 'transaction serial number repeats' }),
  ...entries('bad_request', { '1103': 'request format error', '1104': 'parameter error' }),
  ...entries('bad_signature', { '1108': 'signature error' }),
  ...entries('config', {
    '1105': 'device not activated',
    '1106': 'device invalid',
    '1107': 'device not allowed',
    '1241': 'store does not exist',
    '1242': 'store misconfigured',
    '1243': 'store disabled',
    '1251': 'store misconfigured',
  }),
  ...entries('payment_failed', {
    '1147': 'WeChat Pay transaction error',
    '1201': 'insufficient balance',
    '1202': 'payment code wrong or expired',
    '2005': 'payment code wrong or expired',
    '1203': 'account error',
    '1204': 'bank error',
    '1205': 'transaction failed',
    '1212': 'use the UnionPay overseas code',
  }),
  // The status-code page (docs/providers/qfpay.md §6): "The banking system is busy. Please try again later or use other
  // payment methods". A write answered so is tried again (same ids); a payment row with it failed.
  ...entries('bank_busy', { '1297': 'banking system busy, try again later' }),
  ...entries('forbidden', { '1294': 'prohibited by the bank (risk)', '1250': 'transaction forbidden' }),
  ...entries('transient', {
    '1100': 'system maintenance',
    '1252': 'system error',
    '1254': 'system error',
    '1295': 'slow network, wait',
    '1296': 'slow network, try later',
  }),
]);

export const classOf = (respcd: string): RespcdClass | undefined => RESPCD[respcd]?.class;

/**
 * Codes that blame our own request. They move no money and no retry can fix them, so they are
 * believed even when the answer's signature cannot be checked (a wrong client key makes every
 * answer unverifiable, and must surface as our mistake, not as an endless retry).
 */
export const OUR_MISTAKE: ReadonlySet<RespcdClass> = new Set(['bad_request', 'bad_signature', 'config']);
