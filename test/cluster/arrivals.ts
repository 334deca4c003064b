/**
 * When each provider request reached the sandbox: a listener on the sandbox's own HTTP server
 * records the arrival time of every request under a path prefix (the request counter counts, but
 * keeps no times). Used to check a rate limit over every 1-second window.
 */
import type { Sandbox } from '../../sandbox/server.js';

export interface ArrivalLog {
  /** Arrival times in ms (monotonic clock), in order. */
  times(): number[];
  stop(): void;
}

export function recordArrivals(sandbox: Sandbox, pathPrefix: string): ArrivalLog {
  const times: number[] = [];
  const onRequest = (req: { url?: string }): void => {
    if (req.url?.startsWith(pathPrefix)) times.push(performance.now());
  };
  sandbox.app.server.on('request', onRequest);
  return { times: () => [...times], stop: () => sandbox.app.server.off('request', onRequest) };
}

export interface WindowFigures {
  requests: number;
  /** First to last arrival, seconds. */
  spanSeconds: number;
  /** The most requests inside any window [t, t + windowMs) (the maximum is reached at a window starting on an arrival). */
  maxInWindow: number;
  /** Where that busiest window starts, seconds after the first arrival. */
  busiestAt: number;
  /** Requests per second over the whole span. */
  meanRate: number;
}

export function windowFigures(times: number[], windowMs = 1_000): WindowFigures {
  let maxInWindow = 0;
  let busiestAt = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    if (end - start > maxInWindow) {
      maxInWindow = end - start;
      busiestAt = (times[start]! - times[0]!) / 1000;
    }
  }
  const spanSeconds = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
  return {
    requests: times.length,
    spanSeconds,
    maxInWindow,
    busiestAt,
    meanRate: spanSeconds > 0 ? (times.length - 1) / spanSeconds : 0,
  };
}
