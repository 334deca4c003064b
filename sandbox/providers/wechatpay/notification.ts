/**
 * The notifications WeChat Pay POSTs (docs/providers/wechatpay.md §4): a JSON envelope whose resource
 * is AEAD_AES_256_GCM-encrypted with the APIv3 key, signed in the Wechatpay-* headers like an
 * answer. HTTP 200 or 204 means received; anything else is delivered again on WeChat's schedule (§4.3).
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

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h, 24 h 4 min in all (§4.3). */
export const WECHATPAY_NOTIFY_RETRY_MS: readonly number[] = [
  ...[15, 15, 30].map((s) => s * SECOND),
  ...[3, 10, 20, 30, 30, 30, 60].map((m) => m * MINUTE),
  ...[3, 3, 3, 6, 6].map((h) => h * HOUR),
];

/** The event and summary of each refund status WeChat notifies (§4.1): success, closed, abnormal. */
const REFUND_EVENTS: Record<string, { event: string; summary: string }> = {
  SUCCESS: { event: 'REFUND.SUCCESS', summary: '退款成功' },
  CLOSED: { event: 'REFUND.CLOSED', summary: '退款关闭' },
  ABNORMAL: { event: 'REFUND.ABNORMAL', summary: '退款异常' },
};

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
    retryScheduleMs: WECHATPAY_NOTIFY_RETRY_MS,
  };
}

function envelope(
  eventType: string,
  summary: string,
  originalType: string,
  plaintext: Record<string, unknown>,
  ctx: SandboxContext,
): string {
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
      ciphertext: simEncryptResource(
        ctx.credentials.wechatpay.apiV3Key,
        nonce,
        originalType,
        JSON.stringify(plaintext),
      ),
      associated_data: originalType,
      nonce,
    },
  });
}

/** TRANSACTION.SUCCESS for a paid order; the plaintext is the query's Transaction (§4.2). */
export function wechatpayPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  const transaction = transactionView(order, ctx.credentials.wechatpay, 'SUCCESS');
  const body = envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', transaction, ctx);
  return { ...signed(order.orderId, body, ctx), event: 'TRANSACTION.SUCCESS' };
}

/**
 * REFUND.SUCCESS, REFUND.CLOSED or REFUND.ABNORMAL for a refund in `status` (default: as the sandbox holds it; a
 * refund still processing reads as closed here, so callers send only settled ones), with the observed partner
 * fields (§4.2).
 */
export function wechatpayRefundNotification(
  order: SandboxOrder,
  refund: SandboxRefund,
  ctx: SandboxContext,
  status = refundStatus(refund),
): OutgoingNotification {
  const plaintext = {
    sp_mchid: ctx.credentials.wechatpay.spMchid,
    sub_mchid: order.merchantId,
    out_trade_no: order.orderId,
    transaction_id: order.providerOrderId,
    out_refund_no: outRefundNo(refund),
    refund_id: refund.refundId,
    refund_status: status,
    ...(status === 'SUCCESS' && refund.succeededAt ? { success_time: rfc3339(refund.succeededAt) } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: order.amount, refund: refund.amount, payer_total: order.amount, payer_refund: refund.amount },
  };
  const { event, summary } = REFUND_EVENTS[status] ?? REFUND_EVENTS.CLOSED!;
  const body = envelope(event, summary, 'refund', plaintext, ctx);
  return { ...signed(order.orderId, body, ctx), event, refundId: refund.refundId };
}

/** A signature probe (§4.3): a real-looking notification whose signature starts WECHATPAY/SIGNTEST/; it must be refused. */
export function wechatpaySignatureProbe(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  const body = envelope(
    'TRANSACTION.SUCCESS',
    '支付成功',
    'transaction',
    transactionView(order, ctx.credentials.wechatpay, 'SUCCESS'),
    ctx,
  );
  const probe = signed(order.orderId, body, ctx, `WECHATPAY/SIGNTEST/${Buffer.from(newNonce()).toString('base64')}`);
  return { ...probe, event: 'signature probe', isAck: (status) => status >= 400 };
}
