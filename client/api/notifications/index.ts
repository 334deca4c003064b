/**
 * Provider notification receivers: POST /notify/{payjs|qfpay|wechatpay|pingpp}. No bearer token
 * (providers cannot send one); instead each body is verified on its raw bytes. A verified notice
 * signals the order's running workflow and is acknowledged the way its provider expects; an
 * unverified body is refused and touches no workflow.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { cancellationWorkflowId, type NoticeAck, PROVIDER_IDS } from '../../../domain/index.js';
import type { ServiceConfig } from '../../config.js';
import { configuredMerchant } from '../../../activities/providers/index.js';
import { notifyPayment } from '../../library.js';
import { buildReceivers, type Headers } from './receivers.js';

export const notifyPath = (provider: string): string => `/notify/${provider}`;

const send = (reply: FastifyReply, answer: NoticeAck) => {
  if (answer.contentType) reply.header('content-type', answer.contentType);
  return reply.code(answer.status).send(answer.body);
};

/** Register the receivers in `scope`, which must hand bodies over as unparsed strings. */
export function registerNotificationReceivers(scope: FastifyInstance, deps: { config: ServiceConfig; client: Client }): void {
  const receivers = buildReceivers(deps.config.providers);
  for (const provider of PROVIDER_IDS) {
    scope.post(notifyPath(provider), async (req, reply) => {
      const receiver = receivers[provider];
      if (!receiver) {
        req.log.warn({ provider }, 'notification for a provider that is not configured');
        return reply.code(503).send({ error: 'not_configured', message: `${provider} is not configured, so its notifications cannot be verified` });
      }
      const raw = typeof req.body === 'string' ? req.body : '';
      const verified = receiver.verify(raw, req.headers as Headers);
      if (!verified.ok) {
        req.log.warn({ provider, reason: verified.reason }, 'notification refused: did not verify');
        return send(reply, receiver.refuse(401, 'signature verification failed'));
      }

      const notice = verified.notice;
      const merchantId = notice.merchantId ?? configuredMerchant(deps.config.providers, provider);
      if (!merchantId || !notice.orderId) {
        req.log.warn({ provider, orderId: notice.orderId }, 'verified notification names no merchant or order: acknowledged, nothing to wake');
        return send(reply, receiver.ack);
      }
      const workflowId = cancellationWorkflowId(provider, merchantId, notice.orderId);
      try {
        const signalled = await notifyPayment(deps.client, workflowId, { provider, event: notice.event, receivedAt: new Date().toISOString() });
        req.log.info({ provider, workflowId, event: notice.event, signalled }, signalled ? 'notification delivered to the running cancellation' : 'notification verified; no running cancellation for this order');
      } catch (err) {
        // Temporal could not be reached: refuse, so the provider delivers it again later.
        req.log.error({ provider, workflowId, err: (err as Error).message }, 'notification verified but not delivered');
        return send(reply, receiver.refuse(503, 'temporarily unable to process the notification'));
      }
      return send(reply, receiver.ack);
    });
  }
}
