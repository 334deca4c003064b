/** PAYJS fields as they travel (payjs.md §3, §4). Numbers sometimes arrive as strings. */
import { z } from 'zod';

const intLike = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

export const PayjsCheckResponse = z.looseObject({
  return_code: intLike,
  return_msg: z.string().optional(),
  msg: z.string().optional(),
  mchid: z.string().optional(),
  out_trade_no: z.string().optional(),
  payjs_order_id: z.string().optional(),
  transaction_id: z.string().optional(),
  status: intLike.optional(),
  total_fee: intLike.optional(),
  paid_time: z.string().optional(),
  sign: z.string().optional(),
});
export type PayjsCheckResponse = z.infer<typeof PayjsCheckResponse>;

/** reverse, close and refund share this shape; refund adds `refund: "1"` when already refunded. */
export const PayjsWriteResponse = z.looseObject({
  return_code: intLike,
  return_msg: z.string().optional(),
  payjs_order_id: z.string().optional(),
  out_trade_no: z.string().optional(),
  transaction_id: z.string().optional(),
  refund: z.string().optional(),
  sign: z.string().optional(),
});
export type PayjsWriteResponse = z.infer<typeof PayjsWriteResponse>;

export const PayjsNotification = z.looseObject({
  return_code: intLike,
  total_fee: intLike,
  out_trade_no: z.string().min(1),
  payjs_order_id: z.string().min(1),
  transaction_id: z.string().optional(),
  time_end: z.string().optional(),
  openid: z.string().optional(),
  mchid: z.string().min(1),
  sign: z.string().min(1),
});
