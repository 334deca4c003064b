/** Ping++ objects (pingpp.md §5, §6). */
import { z } from 'zod';

export const PingppRefund = z.looseObject({
  id: z.string(),
  object: z.literal('refund'),
  amount: z.number().int(),
  status: z.string(),
  succeed: z.boolean().optional(),
  charge: z.string().optional(),
  charge_order_no: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  failure_code: z.string().nullish(),
  failure_msg: z.string().nullish(),
});
export type PingppRefund = z.infer<typeof PingppRefund>;

export const PingppRefundList = z.looseObject({ object: z.literal('list'), has_more: z.boolean().optional(), data: z.array(PingppRefund) });

export const PingppCharge = z.looseObject({
  id: z.string(),
  object: z.literal('charge'),
  app: z.union([z.string(), z.looseObject({ id: z.string() })]).optional(),
  channel: z.string(),
  order_no: z.string(),
  amount: z.number().int(),
  paid: z.boolean(),
  refunded: z.boolean(),
  reversed: z.boolean().optional().default(false),
  amount_refunded: z.number().int().default(0),
  time_paid: z.number().nullish(),
  time_expire: z.number().nullish(),
  failure_code: z.string().nullish(),
  refunds: PingppRefundList.optional(),
});
export type PingppCharge = z.infer<typeof PingppCharge>;

export const PingppError = z.looseObject({
  error: z.looseObject({ type: z.string(), message: z.string().optional(), code: z.string().optional(), param: z.string().optional() }),
});

export const PingppEvent = z.looseObject({
  id: z.string(),
  type: z.string(),
  object: z.literal('event'),
  data: z.looseObject({ object: z.looseObject({ id: z.string(), order_no: z.string().optional(), charge_order_no: z.string().optional(), app: z.unknown().optional(), charge: z.string().optional() }) }),
});
