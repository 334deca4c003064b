/**
 * Delivers provider notifications (payments and refunds) to a configured URL, retrying on each provider's documented
 * schedule, run faster by a time scale, until the receiver acknowledges the way that provider expects.
 */
import type { ProviderId } from '../domain/index.js';

/**
 * How much faster than real time the provider schedules run: each documented wait is multiplied by this, so 1/1000
 * replays WeChat Pay's 24 h of redeliveries in under 90 s (docs/providers/wechatpay.md §4.3).
 */
export const DEFAULT_NOTIFY_TIME_SCALE = 0.001;
/** Waits before each attempt for a notification that brings no schedule of its own. */
const FALLBACK_DELAYS_MS = [0, 1_000, 5_000];

export interface OutgoingNotification {
  provider: ProviderId;
  orderId: string;
  headers: Record<string, string>;
  body: string;
  /** Whether the receiver's answer counts as an acknowledgement (PAYJS 200; QFPay 200 + "SUCCESS"; ...). */
  isAck: (status: number, body: string) => boolean;
  /** What it reports, as the provider names it (TRANSACTION.SUCCESS, refund.succeeded, ...), for the list. */
  event?: string;
  /** The refund it reports, for refund notifications. */
  refundId?: string;
  /** The provider's documented waits between attempts, ms of real time, first retry first (scaled when sent). */
  retryScheduleMs?: readonly number[];
}

export interface DeliveryAttempt {
  at: string;
  /** The planned wait before this attempt, ms (0 for the first): the order of attempts, not a measured time. */
  afterMs: number;
  status?: number;
  error?: string;
}

export interface Delivery {
  provider: ProviderId;
  orderId: string;
  event?: string;
  refundId?: string;
  url: string;
  /** The wait before each attempt this delivery may make, ms: the provider's schedule scaled, or the fixed list. */
  plannedDelaysMs: number[];
  attempts: DeliveryAttempt[];
  acknowledged: boolean;
  /** Every planned attempt was made and none was acknowledged: the provider stops here. */
  gaveUp: boolean;
}

export class Notifier {
  private deliveries: Delivery[] = [];
  private timers = new Set<NodeJS.Timeout>();
  /** Multiplies each provider's documented waits (DEFAULT_NOTIFY_TIME_SCALE unless set). */
  timeScale: number;

  /**
   * @param url where notifications go; `{provider}` in it is replaced by the provider id
   *   (e.g. http://127.0.0.1:4000/notify/{provider}).
   * @param retryDelaysMs when given, the waits before each attempt for every notification, whatever its provider
   *   documents (tests that want a short fixed list); otherwise each provider's schedule, scaled by `timeScale`.
   */
  constructor(
    public url: string | undefined,
    private readonly retryDelaysMs?: number[],
    options: { timeScale?: number } = {},
  ) {
    this.timeScale = options.timeScale ?? DEFAULT_NOTIFY_TIME_SCALE;
  }

  /** The wait before each attempt of `n`, ms. */
  plannedDelays(n: Pick<OutgoingNotification, 'retryScheduleMs'>): number[] {
    if (this.retryDelaysMs) return [...this.retryDelaysMs];
    if (!n.retryScheduleMs) return [...FALLBACK_DELAYS_MS];
    return [0, ...n.retryScheduleMs.map((ms) => Math.round(ms * this.timeScale))];
  }

  send(n: OutgoingNotification): Delivery | undefined {
    if (!this.url) return undefined;
    const url = this.url.replaceAll('{provider}', n.provider);
    const delivery: Delivery = {
      provider: n.provider,
      orderId: n.orderId,
      ...(n.event ? { event: n.event } : {}),
      ...(n.refundId ? { refundId: n.refundId } : {}),
      url,
      plannedDelaysMs: this.plannedDelays(n),
      attempts: [],
      acknowledged: false,
      gaveUp: false,
    };
    this.deliveries.push(delivery);
    this.schedule(n, delivery, 0);
    return delivery;
  }

  /** Attempts follow one another: the next is planned only once the previous one has its answer, as providers do. */
  private schedule(n: OutgoingNotification, delivery: Delivery, attempt: number): void {
    // A reset forgets the delivery: an attempt still in flight then plans nothing more.
    if (!this.deliveries.includes(delivery)) return;
    const delay = delivery.plannedDelaysMs[attempt];
    if (delay === undefined) {
      delivery.gaveUp = true;
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(n, delivery, delay).then((ok) => {
        if (!ok) this.schedule(n, delivery, attempt + 1);
      });
    }, delay);
    this.timers.add(timer);
  }

  private async attempt(n: OutgoingNotification, delivery: Delivery, afterMs: number): Promise<boolean> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: n.headers,
        body: n.body,
        signal: AbortSignal.timeout(5_000),
      });
      const text = await res.text();
      delivery.attempts.push({ at, afterMs, status: res.status });
      delivery.acknowledged = n.isAck(res.status, text);
    } catch (err) {
      delivery.attempts.push({ at, afterMs, error: (err as Error).message });
    }
    return delivery.acknowledged;
  }

  list(): Delivery[] {
    return this.deliveries.map((d) => ({ ...d, plannedDelaysMs: [...d.plannedDelaysMs], attempts: [...d.attempts] }));
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.deliveries = [];
  }
}
