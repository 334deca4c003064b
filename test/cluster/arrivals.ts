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

/**
 * How a provider's limit shows where its requests arrive. The send limiter books every request a
 * slot exactly 1/limit apart on the database's clock, so W seconds of slots hold at most limit x W
 * (+1: limit + 1 slots span exactly W seconds). Between its slot and its arrival at the sandbox, a
 * request passes the worker's timer, signing, loopback HTTP and the sandbox's event loop; on an idle
 * machine that takes milliseconds, but while the whole suite loads two cores a request can leave up
 * to about half a second late, and a late one lands in the next window beside those on time. Hence
 * at most limit x (W + SEND_JITTER_SECONDS) + 1 in any window of W seconds: 10 in a second at 6/s,
 * 4 at 2/s. Measured alone: 7 and 3. The Temporal server's dispatch limit alone let QFPay reach 11
 * and 12 and PAYJS 5 in one second.
 */
export const SEND_JITTER_SECONDS = 0.5;

/** The most requests any window of `seconds` may hold at the sandbox under a limit of `limit` per second. */
export const mostInWindow = (limit: number, seconds: number): number =>
  Math.floor(limit * (seconds + SEND_JITTER_SECONDS)) + 1;
