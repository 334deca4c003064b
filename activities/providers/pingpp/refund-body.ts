/**
 * The body of POST /v1/charges/{id}/refunds (docs/providers/pingpp.md §4.3): the amount always stated (never the
 * implicit "full" default), our refund key in metadata, and a description within the channel's limit.
 */
import type { RefundRequest } from '../../../domain/index.js';
import type { PingppRefundCreate } from './wire.js';

const DEFAULT_DESCRIPTION = 'Order cancelled';

/** Channels whose description limit is tighter than 255 characters (docs/providers/pingpp.md §4.3). */
const LIMITS: Record<string, { bytes?: number; chars?: number }> = {
  cmb_wallet: { bytes: 99 },
  cmb_pc_qr: { bytes: 99 },
  jdpay_wap: { bytes: 128 },
  paypal: { bytes: 30 },
  coolcredit: { chars: 100 },
};

/** Cut text to at most `chars` characters and `bytes` UTF-8 bytes, never inside a character. */
export function fitDescription(text: string, channel: string | undefined): string {
  const limit = (channel && LIMITS[channel]) || {};
  const chars = [...text].slice(0, limit.chars ?? 255);
  if (limit.bytes !== undefined) {
    while (Buffer.byteLength(chars.join(''), 'utf8') > limit.bytes) chars.pop();
  }
  const fitted = chars.join('').trim();
  return fitted === '' ? DEFAULT_DESCRIPTION.slice(0, limit.bytes ?? 255) : fitted;
}

export function refundBody(refund: RefundRequest, channel: string | undefined): PingppRefundCreate {
  return {
    amount: refund.amount,
    description: fitDescription(refund.reason ?? DEFAULT_DESCRIPTION, channel),
    metadata: { refund_key: refund.refundKey },
  };
}
