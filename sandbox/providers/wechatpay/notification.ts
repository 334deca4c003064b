/**
 * The notifications WeChat Pay POSTs (docs/providers/wechatpay.md §4): a JSON envelope whose resource
 * is AEAD_AES_256_GCM-encrypted with the APIv3 key, signed in the Wechatpay-* headers like an
 * answer. HTTP 200 or 204 means received; anything else is delivered again (§4.3).
 */
import { randomInt } from 'node:crypto';
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { wechatpaySandboxSettings as settings } from './settings.js';
import { simEncryptResource, simSignAnswer } from './signing.js';
import { newNonce, newRequestId, outRefundNo, refundStatus, rfc3339, transactionView } from './views.js';

/** WeChat stops retrying on 200 or 204, whatever the body. */
const isAck = (status: number): boolean => status === 200 || status === 204;

const nonce12 = (): string => newNonce().slice(0, 12);
const eventId = (): string => `EV-${Array.from({ length: 19 }, () => randomInt(10)).join('')}`;

/** Sign `body` as WeChat Pay does; `signature` replaces the real one (probes). */
function signed(orderId: string, body: string, ctx: SandboxContext, signature?: string): OutgoingNotification {
  const account = ctx.credentials.wechatpay;
  const timestamp = String(Math.floor(settings.now().getTime() / 1000) + settings.answerClockOffsetSec);
  const nonce = newNonce();
  return {
    provider: 'wechatpay',
    orderId,
    headers: {
      'content-type': 'application/json',
      'wechatpay-serial': account.platformKeyId,
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature ?? simSignAnswer(timestamp, nonce, body, account.platformPrivateKeyPem),
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
      'request-id': newRequestId(),
    },
    body,
    isAck,
  };
}

function envelope(eventType: string, summary: string, originalType: string, plaintext: Record<string, unknown>, ctx: SandboxContext): string {
  const nonce = nonce12();
  return JSON.stringify({
    id: eventId(),
    create_time: rfc3339(settings.now()),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary,
    resource: {
      original_type: originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: simEncryptResource(ctx.credentials.wechatpay.apiV3Key, nonce, originalType, JSON.stringify(plaintext)),
      associated_data: originalType,
      nonce,
    },
  });
}

/** TRANSACTION.SUCCESS for a paid order; the plaintext is the query's Transaction (§4.2). */
export function wechatpayPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  return signed(order.orderId, envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', transactionView(order, ctx.credentials.wechatpay, 'SUCCESS'), ctx), ctx);
}

/** REFUND.SUCCESS / REFUND.CLOSED for a refund, with the observed partner fields (§4.2). */
export function wechatpayRefundNotification(order: SandboxOrder, refund: SandboxRefund, ctx: SandboxContext): OutgoingNotification {
  const status = refundStatus(refund);
  const plaintext = {
    sp_mchid: ctx.credentials.wechatpay.spMchid,
    sub_mchid: order.merchantId,
    out_trade_no: order.orderId,
    transaction_id: order.providerOrderId,
    out_refund_no: outRefundNo(refund),
    refund_id: refund.refundId,
    refund_status: status,
    ...(refund.succeededAt ? { success_time: rfc3339(refund.succeededAt) } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: order.amount, refund: refund.amount, payer_total: order.amount, payer_refund: refund.amount },
  };
  const event = status === 'SUCCESS' ? 'REFUND.SUCCESS' : 'REFUND.CLOSED';
  return signed(order.orderId, envelope(event, status === 'SUCCESS' ? '退款成功' : '退款关闭', 'refund', plaintext, ctx), ctx);
}

/** A signature probe (§4.3): a real-looking notification whose signature starts WECHATPAY/SIGNTEST/; it must be refused. */
export function wechatpaySignatureProbe(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  const body = envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', transactionView(order, ctx.credentials.wechatpay, 'SUCCESS'), ctx);
  const probe = signed(order.orderId, body, ctx, `WECHATPAY/SIGNTEST/${Buffer.from(newNonce()).toString('base64')}`);
  return { ...probe, isAck: (status) => status >= 400 };
}
