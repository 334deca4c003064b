/**
 * Provider notification receivers: POST /notify/{payjs|qfpay|wechatpay|pingpp}. No bearer token
 * (providers cannot send one); instead each body is verified on its raw bytes. A verified notice
 * signals the order's running workflow, or, for a payment after the cancellation ended without money,
 * starts the run that refunds it (late-payment.ts); either way it is acknowledged the way its provider
 * expects. An unverified body is refused and touches no workflow.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { cancellationWorkflowId, type NoticeAck, PROVIDER_IDS } from '../../../domain/index.js';
import type { ServiceConfig } from '../../config.js';
import { configuredMerchant } from '../../../activities/providers/index.js';
import { notificationsTotal } from '../../../platform/metrics/registry.js';
import { deliverPaymentNotification, type NotificationDelivery } from './delivery.js';
import { buildReceivers, type Headers } from './receivers.js';

export const notifyPath = (provider: string): string => `/notify/${provider}`;

const DELIVERY_LOG: Record<NotificationDelivery['result'], string> = {
  signalled: 'notification delivered to the running cancellation',
  late_payment_run: 'payment after the cancellation ended: started a run to refund it',
  no_cancellation: 'notification verified; Rescind never cancelled this order',
  left_alone: 'notification verified; the finished cancellation is left alone',
};

const send = (reply: FastifyReply, answer: NoticeAck) => {
  if (answer.contentType) reply.header('content-type', answer.contentType);
  return reply.code(answer.status).send(answer.body);
};

/** Register the receivers in `scope`, which must hand bodies over as unparsed strings. */
export function registerNotificationReceivers(
  scope: FastifyInstance,
  deps: { config: ServiceConfig; client: Client },
): void {
  const receivers = buildReceivers(deps.config.providers);
  for (const provider of PROVIDER_IDS) {
    scope.post(notifyPath(provider), async (req, reply) => {
      const receiver = receivers[provider];
      if (!receiver) {
        req.log.warn({ provider }, 'notification for a provider that is not configured');
        notificationsTotal.inc({ provider, result: 'not_configured' });
        return reply.code(503).send({
          error: 'not_configured',
          message: `${provider} is not configured, so its notifications cannot be verified`,
        });
      }
      const raw = typeof req.body === 'string' ? req.body : '';
      const verified = receiver.verify(raw, req.headers as Headers);
      notificationsTotal.inc({ provider, result: verified.ok ? 'verified' : 'refused' });
      if (!verified.ok) {
        req.log.warn({ provider, reason: verified.reason }, 'notification refused: did not verify');
        return send(reply, receiver.refuse(401, 'signature verification failed'));
      }

      const notice = verified.notice;
      const merchantId = notice.merchantId ?? configuredMerchant(deps.config.providers, provider);
      if (!merchantId || !notice.orderId) {
        req.log.warn(
          { provider, orderId: notice.orderId },
          'verified notification names no merchant or order: acknowledged, nothing to wake',
        );
        return send(reply, receiver.ack);
      }
      const workflowId = cancellationWorkflowId(provider, merchantId, notice.orderId);
      try {
        const noticeId = receiver.noticeId(raw);
        const signal = { provider, event: notice.event, receivedAt: new Date().toISOString(), noticeId };
        const delivery = await deliverPaymentNotification(deps.client, workflowId, signal);
        req.log.info({ provider, workflowId, event: notice.event, ...delivery }, DELIVERY_LOG[delivery.result]);
      } catch (err) {
        // Temporal could not be reached: refuse, so the provider delivers it again later.
        req.log.error({ provider, workflowId, err: (err as Error).message }, 'notification verified but not delivered');
        return send(reply, receiver.refuse(503, 'temporarily unable to process the notification'));
      }
      return send(reply, receiver.ack);
    });
  }
}
