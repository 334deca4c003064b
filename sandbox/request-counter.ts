/**
 * Counts the provider requests the sandbox served, per route and HTTP status (admin API
 * `GET /_admin/requests`). It is how a run's real provider traffic is measured: retries and
 * polling inside one activity are invisible to the workflow but not to the provider.
 */
export interface RouteCount {
  /** e.g. "POST /qfpay/trade/v1/reversal" (the route pattern, not the concrete URL). */
  route: string;
  count: number;
  /** Answers by HTTP status; `none` counts requests that got no answer (dropped or still held). */
  byStatus: Record<string, number>;
}

export class RequestCounter {
  private routes = new Map<string, RouteCount>();

  /** A request arrived (counted before any fault can drop its connection). */
  received(method: string, route: string): void {
    this.entry(method, route).count += 1;
  }

  /** It was answered with this status. */
  answered(method: string, route: string, status: number): void {
    const entry = this.entry(method, route);
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + 1;
  }

  list(): { total: number; routes: RouteCount[] } {
    const routes = [...this.routes.values()]
      .map((r) => {
        const unanswered = r.count - Object.values(r.byStatus).reduce((n, c) => n + c, 0);
        return { ...r, byStatus: unanswered > 0 ? { ...r.byStatus, none: unanswered } : { ...r.byStatus } };
      })
      .sort((a, b) => a.route.localeCompare(b.route));
    return { total: routes.reduce((n, r) => n + r.count, 0), routes };
  }

  clear(): void {
    this.routes.clear();
  }

  private entry(method: string, route: string): RouteCount {
    const key = `${method} ${route}`;
    let entry = this.routes.get(key);
    if (!entry) this.routes.set(key, (entry = { route: key, count: 0, byStatus: {} }));
    return entry;
  }
}
