/**
 * WeChat Pay v3 partner objects as they travel (docs/providers/wechatpay.md §4–§7). Lenient where the
 * docs allow it (new fields may appear, null may stand for absent); amounts are integer fen.
 */
import { z } from 'zod';

/** JSON null and absent mean the same (§1 "null values may be omitted"). */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const fen = z.number().int().nonnegative();

/** Transaction: the 200 answer of the partner order queries (§5.1/§5.2) and the payment notification's plaintext. */
export const WechatTransaction = z.looseObject({
  sp_appid: opt(z.string()),
  sp_mchid: opt(z.string()),
  sub_mchid: opt(z.string()),
  out_trade_no: z.string().min(1),
  transaction_id: opt(z.string()),
  trade_type: opt(z.string()),
  trade_state: z.string().min(1),
  trade_state_desc: opt(z.string()),
  success_time: opt(z.string()),
  amount: opt(z.looseObject({ total: opt(fen), payer_total: opt(fen), currency: opt(z.string()) })),
});
export type WechatTransaction = z.infer<typeof WechatTransaction>;

/** The reverse answer: identifiers only, no result flag (§5.4). */
export const WechatReverse = z.looseObject({
  sp_mchid: opt(z.string()),
  sub_mchid: opt(z.string()),
  out_trade_no: opt(z.string()),
});

/** Refund: the 200 answer of refund create (§5.6) and refund query (§5.7). */
export const WechatRefund = z.looseObject({
  refund_id: z.string().min(1),
  out_refund_no: z.string().min(1),
  transaction_id: opt(z.string()),
  out_trade_no: opt(z.string()),
  status: z.string().min(1),
  success_time: opt(z.string()),
  amount: z.looseObject({ refund: fen, total: opt(fen), currency: opt(z.string()) }),
});
export type WechatRefund = z.infer<typeof WechatRefund>;

/** Error body of every non-2xx answer (§7.1). */
export const WechatError = z.looseObject({ code: z.string().min(1), message: opt(z.string()) });

/** The notification envelope (§4.1). */
export const WechatNotification = z.looseObject({
  id: z.string(),
  event_type: z.string(),
  resource_type: opt(z.string()),
  resource: z.looseObject({
    algorithm: z.string(),
    ciphertext: z.string(),
    associated_data: opt(z.string()).transform((v) => v ?? ''),
    nonce: z.string(),
    original_type: opt(z.string()),
  }),
});

/** A refund notification's plaintext (§4.2, observed fields). */
export const WechatNotifiedRefund = z.looseObject({
  sp_mchid: opt(z.string()),
  sub_mchid: opt(z.string()),
  out_trade_no: z.string().min(1),
  transaction_id: opt(z.string()),
  out_refund_no: opt(z.string()),
  refund_id: opt(z.string()),
  refund_status: z.string().min(1),
});
