/**
 * The harness of a provider's refund-notification test: a local receiver the sandbox POSTs its
 * notifications to over real HTTP (answered with the provider's ack), and the sandbox's own record
 * of its deliveries to that receiver.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NoticeAck, OrderRef, RefundRequest } from '../../domain/index.js';
import type { Delivery } from '../../sandbox/notifier.js';
import type { TestSandbox } from './sandbox.js';

/** What reached the receiver: the raw body and its headers. */
export interface ReceivedNotification {
  body: string;
  headers: IncomingHttpHeaders;
}

export interface RefundNotificationReceiver {
  /** What reached the receiver during the current test, in order of arrival. */
  readonly received: ReceivedNotification[];
  /** The sandbox's deliveries for the order. */
  deliveriesOf(order: OrderRef): Promise<Delivery[]>;
  /** The acknowledged deliveries of the order once `count` are acknowledged. */
  acknowledged(order: OrderRef, count: number): Promise<Delivery[]>;
}

/** The key of the order's first refund in these tests. */
export const firstRefundKey = (order: OrderRef): string => `${order.orderId}-RF1`;

/** A refund of the whole order under {@link firstRefundKey}. */
export const fullRefund = (order: OrderRef): RefundRequest => ({
  refundKey: firstRefundKey(order),
  amount: order.amount!,
  totalAmount: order.amount!,
});

/**
 * Start a receiver before the file's tests and point the sandbox's notifications at it; close it
 * after them, and forget what it received before each test. `px.sb` is read inside the hooks only.
 */
export function useRefundNotificationReceiver(
  px: { readonly sb: TestSandbox },
  ack: NoticeAck,
): RefundNotificationReceiver {
  const received: ReceivedNotification[] = [];
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(ack.status, ack.contentType ? { 'content-type': ack.contentType } : {}).end(ack.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await px.sb.admin('PUT', '/notify-url', {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/{provider}`,
    });
  });
  afterAll(async () => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.splice(0);
  });

  const deliveriesOf = async (order: OrderRef): Promise<Delivery[]> =>
    (await px.sb.admin<{ deliveries: Delivery[] }>('GET', '/notifications')).deliveries.filter(
      (d) => d.orderId === order.orderId,
    );

  async function acknowledged(order: OrderRef, count: number): Promise<Delivery[]> {
    for (;;) {
      const done = (await deliveriesOf(order)).filter((d) => d.acknowledged);
      if (done.length >= count) return done;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return { received, deliveriesOf, acknowledged };
}
