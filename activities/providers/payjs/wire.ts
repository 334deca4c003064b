/**
 * PAYJS fields as they travel (docs/providers/payjs.md §3, §4). Lenient where PAYJS is inconsistent: integers
 * arrive as JSON numbers in one answer and as strings in another (§3.1), so both are read.
 * Unknown fields are kept (looseObject): signatures cover them and PAYJS may add more.
 */
import { z } from 'zod';

/** An integer sent either as a JSON number or as a string of digits. */
const intLike = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number);

/** A flat JSON object of scalars: the only shape PAYJS answers with, and the only one we can verify. */
export const PayjsFlatBody = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type PayjsFlatBody = z.infer<typeof PayjsFlatBody>;

/** POST /api/check answer (§3.1). `status`: 0 not paid, 1 paid, nothing else documented. */
export const PayjsCheckResponse = z.looseObject({
  return_code: intLike,
  return_msg: z.string().optional(),
  msg: z.string().optional(),
  mchid: z.string().optional(),
  out_trade_no: z.string().optional(),
  payjs_order_id: z.string().optional(),
  transaction_id: z.string().optional(),
  status: intLike.optional(),
  openid: z.string().optional(),
  total_fee: intLike.optional(),
  paid_time: z.string().optional(),
  attach: z.string().optional(),
  sign: z.string().optional(),
});
export type PayjsCheckResponse = z.infer<typeof PayjsCheckResponse>;

/** POST /api/reverse and /api/close answers (§3.2, §3.3). */
export const PayjsCancelResponse = z.looseObject({
  return_code: intLike,
  return_msg: z.string().optional(),
  msg: z.string().optional(),
  payjs_order_id: z.string().optional(),
  sign: z.string().optional(),
});
export type PayjsCancelResponse = z.infer<typeof PayjsCancelResponse>;

/** POST /api/refund answer (§3.4); `refund: "1"` marks an order that was already refunded. */
export const PayjsRefundResponse = PayjsCancelResponse.extend({
  out_trade_no: z.string().optional(),
  transaction_id: z.string().optional(),
  refund: z.string().optional(),
});
export type PayjsRefundResponse = z.infer<typeof PayjsRefundResponse>;

/** The payment notification, a urlencoded form (§4). */
export const PayjsNotification = z.looseObject({
  return_code: intLike,
  total_fee: intLike,
  out_trade_no: z.string().min(1),
  payjs_order_id: z.string().min(1),
  transaction_id: z.string().optional(),
  time_end: z.string().optional(),
  openid: z.string().optional(),
  attach: z.string().optional(),
  mchid: z.string().min(1),
  type: z.string().optional(),
  sign: z.string().min(1),
});
export type PayjsNotification = z.infer<typeof PayjsNotification>;
