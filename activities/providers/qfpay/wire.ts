/** QFPay fields as they travel (qfpay.md §4–§7). Amounts and pages arrive as strings or numbers. */
import { z } from 'zod';

const str = z.union([z.string(), z.number()]).transform(String);

export const QfpayRow = z.looseObject({
  syssn: str.optional(),
  out_trade_no: str.optional(),
  origssn: str.optional(),
  order_type: z.string().optional(),
  pay_type: str.optional(),
  txamt: str.optional(),
  txdtm: z.string().optional(),
  paydtm: z.string().optional(),
  respcd: str,
  errmsg: z.string().optional(),
  cancel: str.optional(),
});
export type QfpayRow = z.infer<typeof QfpayRow>;

export const QfpayQueryResponse = z.looseObject({
  respcd: str,
  resperr: z.string().optional(),
  respmsg: z.string().optional(),
  data: z.array(QfpayRow).optional(),
});

/** reversal, close and refund answer flat objects. */
export const QfpayWriteResponse = z.looseObject({
  respcd: str,
  resperr: z.string().optional(),
  respmsg: z.string().optional(),
  syssn: str.optional(),
  orig_syssn: str.optional(),
  out_trade_no: str.optional(),
  txamt: str.optional(),
});
export type QfpayWriteResponse = z.infer<typeof QfpayWriteResponse>;

export const QfpayNotification = z.looseObject({
  notify_type: z.string(),
  status: str.optional(),
  respcd: str.optional(),
  out_trade_no: str,
  syssn: str.optional(),
  orig_out_trade_no: str.optional(),
  mchid: str.optional(),
  txamt: str.optional(),
});
