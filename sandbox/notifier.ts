/**
 * Delivers provider payment notifications to a configured URL, retrying on the provider's
 * schedule (compressed for local use) until the receiver acknowledges the way that provider expects.
 */
import type { ProviderId } from '../domain/index.js';

export interface OutgoingNotification {
  provider: ProviderId;
  orderId: string;
  headers: Record<string, string>;
  body: string;
  /** Whether the receiver's answer counts as an acknowledgement (PAYJS 200; QFPay 200 + "SUCCESS"; ...). */
  isAck: (status: number, body: string) => boolean;
}

export interface Delivery {
  provider: ProviderId;
  orderId: string;
  url: string;
  attempts: { at: string; status?: number; error?: string }[];
  acknowledged: boolean;
}

export class Notifier {
  private deliveries: Delivery[] = [];
  private timers = new Set<NodeJS.Timeout>();

  /**
   * @param url where notifications go; `{provider}` in it is replaced by the provider id
   *   (e.g. http://127.0.0.1:4000/notify/{provider}).
   * @param retryDelaysMs delays between attempts (real providers wait minutes; locally seconds are enough).
   */
  constructor(
    public url: string | undefined,
    private readonly retryDelaysMs: number[] = [0, 1_000, 5_000],
  ) {}

  send(n: OutgoingNotification): Delivery | undefined {
    if (!this.url) return undefined;
    const url = this.url.replaceAll('{provider}', n.provider);
    const delivery: Delivery = { provider: n.provider, orderId: n.orderId, url, attempts: [], acknowledged: false };
    this.deliveries.push(delivery);
    this.schedule(n, delivery, 0);
    return delivery;
  }

  private schedule(n: OutgoingNotification, delivery: Delivery, attempt: number): void {
    const delay = this.retryDelaysMs[attempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(n, delivery).then((ok) => {
        if (!ok) this.schedule(n, delivery, attempt + 1);
      });
    }, delay);
    this.timers.add(timer);
  }

  private async attempt(n: OutgoingNotification, delivery: Delivery): Promise<boolean> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(delivery.url, { method: 'POST', headers: n.headers, body: n.body, signal: AbortSignal.timeout(5_000) });
      const text = await res.text();
      delivery.attempts.push({ at, status: res.status });
      delivery.acknowledged = n.isAck(res.status, text);
    } catch (err) {
      delivery.attempts.push({ at, error: (err as Error).message });
    }
    return delivery.acknowledged;
  }

  list(): Delivery[] {
    return this.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deliveries = [];
  }
}
