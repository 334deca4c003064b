/**
 * The webhooks Ping++ sends (docs/providers/pingpp.md §3): an Event POSTed as JSON, signed over the raw body in
 * X-Pingplusplus-Signature, `charge.succeeded` when a charge is paid and `refund.succeeded` when a refund succeeds.
 * Test mode sends the header empty; the sandbox behaves like a live app unless its settings say otherwise. Any 2xx
 * is received; otherwise Ping++ delivers again on its documented schedule.
 */
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder, SandboxRefund } from '../../store.js';
import { pingppSandboxSettings as settings } from './settings.js';
import { signBody } from './signing.js';
import { chargeView, newId, refundView } from './views.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Up to 8 deliveries in 25 h: after the first, waits of 2 min, 10 min, 10 min, 1 h, 2 h, 6 h, 15 h (§3). */
export const PINGPP_NOTIFY_RETRY_MS: readonly number[] = [
  2 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  HOUR,
  2 * HOUR,
  6 * HOUR,
  15 * HOUR,
];

function webhook(
  order: SandboxOrder,
  type: string,
  object: (livemode: boolean) => Record<string, unknown>,
  ctx: SandboxContext,
  refundId?: string,
): OutgoingNotification {
  const livemode = settings.webhookMode === 'live';
  const body = JSON.stringify({
    id: newId('evt_'),
    created: Math.floor(Date.now() / 1000),
    livemode,
    type,
    data: { object: object(livemode) },
    object: 'event',
    pending_webhooks: 0,
    request: newId('iar_'),
  });
  return {
    provider: 'pingpp',
    orderId: order.orderId,
    headers: {
      'content-type': 'application/json',
      'x-pingplusplus-signature': livemode ? signBody(body, ctx.credentials.pingpp.platformPrivateKeyPem) : '',
    },
    body,
    // Ping++ reads only the status: any 2xx is received (§3).
    isAck: (status) => status >= 200 && status < 300,
    event: type,
    ...(refundId ? { refundId } : {}),
    retryScheduleMs: PINGPP_NOTIFY_RETRY_MS,
  };
}

export function pingppPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  return webhook(order, 'charge.succeeded', (livemode) => chargeView(order, livemode), ctx);
}

/** `refund.succeeded`, whose object is the Refund as retrieving it shows it (§3, §5.2). */
export function pingppRefundNotification(
  order: SandboxOrder,
  refund: SandboxRefund,
  ctx: SandboxContext,
): OutgoingNotification {
  return webhook(order, 'refund.succeeded', () => refundView(order, refund), ctx, refund.refundId);
}
