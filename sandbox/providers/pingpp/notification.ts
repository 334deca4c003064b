/**
 * The webhook Ping++ sends when a charge is paid (docs/providers/pingpp.md §3): a `charge.succeeded` Event POSTed
 * as JSON, signed over the raw body in X-Pingplusplus-Signature. Test mode sends the header empty;
 * the sandbox behaves like a live app unless its settings say otherwise.
 */
import type { OutgoingNotification } from '../../notifier.js';
import type { SandboxContext } from '../../simulator.js';
import type { SandboxOrder } from '../../store.js';
import { pingppSandboxSettings as settings } from './settings.js';
import { signBody } from './signing.js';
import { chargeView, newId } from './views.js';

export function pingppPaymentNotification(order: SandboxOrder, ctx: SandboxContext): OutgoingNotification {
  const livemode = settings.webhookMode === 'live';
  const body = JSON.stringify({
    id: newId('evt_'),
    created: Math.floor(Date.now() / 1000),
    livemode,
    type: 'charge.succeeded',
    data: { object: chargeView(order, livemode) },
    object: 'event',
    pending_webhooks: 0,
    request: newId('iar_'),
  });
  return {
    provider: 'pingpp',
    orderId: order.orderId,
    headers: { 'content-type': 'application/json', 'x-pingplusplus-signature': livemode ? signBody(body, ctx.credentials.pingpp.platformPrivateKeyPem) : '' },
    body,
    // Ping++ reads only the status: any 2xx is received (§3).
    isAck: (status) => status >= 200 && status < 300,
  };
}
