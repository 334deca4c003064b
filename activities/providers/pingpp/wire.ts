/**
 * Ping++ objects as they travel (docs/providers/pingpp.md §5, §6, §3). Ping++ sends JSON numbers and booleans, so
 * the schemas are strict about types; the fields our decisions rest on (paid, refunded, reversed,
 * amount, amount_refunded) are required, because guessing a missing one could move money twice.
 * Unknown fields pass through (looseObject): Ping++ adds fields over time.
 */
import { z } from 'zod';

const minor = z.number().int().nonnegative();
const unixSeconds = z.number().int().nonnegative();

/** A Refund (docs/providers/pingpp.md §5.2). `status` is kept as text: an unrecognised one is the mapper's call. */
export const PingppRefund = z.looseObject({
  id: z.string().min(1),
  object: z.literal('refund'),
  amount: minor,
  status: z.string(),
  succeed: z.boolean().optional(),
  order_no: z.string().nullish(),
  charge: z.string().nullish(),
  charge_order_no: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  time_succeed: unixSeconds.nullish(),
  failure_code: z.string().nullish(),
  failure_msg: z.string().nullish(),
});
export type PingppRefund = z.infer<typeof PingppRefund>;

/** A page of refunds: GET …/refunds, and the first page embedded in a charge. */
export const PingppRefundList = z.looseObject({
  object: z.literal('list'),
  has_more: z.boolean(),
  data: z.array(PingppRefund),
});
export type PingppRefundList = z.infer<typeof PingppRefundList>;

/** A Charge (docs/providers/pingpp.md §5.1). `app` may be expanded into an object (`expand[]=app`). */
export const PingppCharge = z.looseObject({
  id: z.string().min(1),
  object: z.literal('charge'),
  livemode: z.boolean().optional(),
  app: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  channel: z.string(),
  order_no: z.string(),
  amount: minor,
  currency: z.string().optional(),
  paid: z.boolean(),
  refunded: z.boolean(),
  reversed: z.boolean(),
  amount_refunded: minor,
  time_paid: unixSeconds.nullish(),
  time_expire: unixSeconds.nullish(),
  failure_code: z.string().nullish(),
  failure_msg: z.string().nullish(),
  refunds: PingppRefundList.optional(),
});
export type PingppCharge = z.infer<typeof PingppCharge>;

/** Every error answer: `{"error":{type,message,code?,param?}}` (docs/providers/pingpp.md §6.1). */
export const PingppErrorBody = z.looseObject({
  error: z.looseObject({
    type: z.string(),
    message: z.string().nullish(),
    code: z.string().nullish(),
    param: z.string().nullish(),
  }),
});
export type PingppErrorDetail = z.infer<typeof PingppErrorBody>['error'];

/** A webhook Event (docs/providers/pingpp.md §3): the object is a charge or a refund, read loosely. */
export const PingppEvent = z.looseObject({
  id: z.string(),
  object: z.literal('event'),
  type: z.string(),
  livemode: z.boolean().optional(),
  data: z.looseObject({
    object: z.looseObject({
      id: z.string(),
      object: z.string().optional(),
      app: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
      order_no: z.string().nullish(),
      charge: z.string().nullish(),
      charge_order_no: z.string().nullish(),
    }),
  }),
});
export type PingppEvent = z.infer<typeof PingppEvent>;

/** The body of POST …/refunds (docs/providers/pingpp.md §4.3). */
export interface PingppRefundCreate {
  amount: number;
  description: string;
  metadata: { refund_key: string };
}

/** The app id of a charge or event object, whether `app` is a string or expanded. */
export const appIdOf = (app: string | { id: string } | null | undefined): string | undefined =>
  typeof app === 'string' ? app : (app?.id ?? undefined);
