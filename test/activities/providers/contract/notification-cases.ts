/**
 * The shared notification case over real HTTP: paying a sandbox order POSTs the provider's signed
 * notification; the descriptor's receiver verifies it, and its ack stops the deliveries after one.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import type { ProviderSandbox } from './provider-sandbox.js';
import type { ProviderContract } from './spec.js';

interface Delivery {
  orderId: string;
  acknowledged: boolean;
}

export function describeNotificationCases<C extends ProviderConfigBase>(
  spec: ProviderContract<C>,
  px: ProviderSandbox<C>,
): void {
  const receiver = spec.descriptor.notifications;

  it('notifications over HTTP: paying posts a notice that verifies; the ack stops the deliveries after one', async () => {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        const headers = receiver.ack.contentType ? { 'content-type': receiver.ack.contentType } : {};
        res.writeHead(receiver.ack.status, headers).end(receiver.ack.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await px.sb.admin('PUT', '/notify-url', { url: `http://127.0.0.1:${port}/notify/{provider}` });
      const order = await px.make('unpaid');
      await px.sb.admin('POST', `/orders/${px.provider}/${order.orderId}/pay`);
      while (received.length === 0) await new Promise((r) => setTimeout(r, 20));
      expect(received[0]!.headers['content-type']).toBe(receiver.contentType);
      expect(receiver.verify(px.config, received[0]!.body, received[0]!.headers)).toEqual({
        ok: true,
        notice: {
          provider: px.provider,
          merchantId: spec.noticeMerchant(order),
          orderId: order.orderId,
          providerOrderId: (await px.view(order)).providerOrderId,
          event: 'paid',
        },
      });
      let deliveries: Delivery[] = [];
      while (!deliveries.some((d) => d.orderId === order.orderId && d.acknowledged)) {
        deliveries = (await px.sb.admin<{ deliveries: Delivery[] }>('GET', '/notifications')).deliveries;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(deliveries.filter((d) => d.orderId === order.orderId)).toHaveLength(1);
      expect(received).toHaveLength(1);
    } finally {
      await px.sb.admin('PUT', '/notify-url', { url: null });
      server.close();
    }
  });
}
