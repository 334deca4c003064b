/**
 * QFPay fields as they travel (docs/providers/qfpay.md §4–§7). Numbers sometimes arrive as strings and
 * sometimes as numbers (gotcha G9), so every scalar is read leniently and kept as text; amounts
 * must be whole minor units.
 */
import { z } from 'zod';

/** A scalar that may arrive as a string or a number, kept as its text. */
const text = z.union([z.string(), z.number()]).transform(String);
/** Minor units: a non-negative integer, from "2500" or 2500. */
const amount = text.pipe(z.string().regex(/^\d{1,15}$/, 'minor units')).transform(Number);
const message = z.string().nullish();

/** The envelope every answer has; the rest is read only once respcd says what follows. */
export const QfpayEnvelope = z.looseObject({ respcd: text, resperr: message, respmsg: message });
export type QfpayEnvelope = z.infer<typeof QfpayEnvelope>;

/** One row of /trade/v1/query: a payment, or a refund (order_type "refund", origssn). */
export const QfpayRow = z.looseObject({
  syssn: text.optional(),
  out_trade_no: text.optional(),
  origssn: text.optional(),
  order_type: z.string().optional(),
  pay_type: text.optional(),
  txamt: amount.optional(),
  txcurrcd: z.string().optional(),
  txdtm: z.string().optional(),
  sysdtm: z.string().optional(),
  paydtm: z.string().nullish(),
  respcd: text,
  errmsg: message,
  cancel: text.optional(),
});
export type QfpayRow = z.infer<typeof QfpayRow>;

export const QfpayQueryResponse = QfpayEnvelope.extend({
  page: text.optional(),
  page_size: text.optional(),
  data: z.array(QfpayRow),
});

/** reversal, close and refund answer one flat object (docs/providers/qfpay.md §5.1, §5.4). */
export const QfpayWriteResponse = QfpayEnvelope.extend({
  syssn: text.optional(),
  orig_syssn: text.optional(),
  out_trade_no: text.optional(),
  txamt: amount.optional(),
  txcurrcd: z.string().optional(),
  txdtm: z.string().optional(),
  sysdtm: z.string().optional(),
});
export type QfpayWriteResponse = z.infer<typeof QfpayWriteResponse>;

/**
 * Payment and refund notifications (docs/providers/qfpay.md §7): the fields documented for both kinds, read
 * leniently (only notify_type and out_trade_no are needed to route one), and the refund's orig_* fields as seen in
 * real traffic. For a refund, out_trade_no and syssn are the refund's own.
 */
export const QfpayNotification = z.looseObject({
  notify_type: z.string(),
  status: text.optional(),
  respcd: text.optional(),
  pay_type: text.optional(),
  out_trade_no: text,
  syssn: text.optional(),
  orig_syssn: text.optional(),
  orig_out_trade_no: text.optional(),
  mchid: text.optional(),
  txamt: amount.optional(),
  txcurrcd: z.string().optional(),
  sysdtm: z.string().optional(),
  paydtm: z.string().optional(),
  cancel: text.optional(),
});
export type QfpayNotification = z.infer<typeof QfpayNotification>;
