/** WeChat Pay v3 partner objects (wechatpay-v3-partner.md §5–§7). */
import { z } from 'zod';

export const WechatTransaction = z.looseObject({
  sp_mchid: z.string().optional(),
  sub_mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_type: z.string().optional(),
  trade_state: z.string(),
  trade_state_desc: z.string().optional(),
  success_time: z.string().optional(),
  amount: z.looseObject({ total: z.number().int().optional(), payer_total: z.number().int().optional() }).optional(),
});
export type WechatTransaction = z.infer<typeof WechatTransaction>;

export const WechatRefund = z.looseObject({
  refund_id: z.string(),
  out_refund_no: z.string(),
  status: z.string(),
  amount: z.looseObject({ refund: z.number().int(), total: z.number().int().optional() }).optional(),
});

export const WechatError = z.looseObject({ code: z.string(), message: z.string().optional() });

export const WechatNotification = z.looseObject({
  id: z.string(),
  event_type: z.string(),
  resource: z.looseObject({ algorithm: z.string(), ciphertext: z.string(), associated_data: z.string().optional().default(''), nonce: z.string(), original_type: z.string().optional() }),
});

export const WechatNotifiedResource = z.looseObject({
  sub_mchid: z.string().optional(),
  out_trade_no: z.string(),
  transaction_id: z.string().optional(),
  trade_state: z.string().optional(),
  refund_status: z.string().optional(),
});
