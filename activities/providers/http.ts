/**
 * The HTTP layer every adapter uses: one got instance per provider, no got retries (Temporal owns
 * retries), no throwing on HTTP status (the mapper decides what a status means), explicit timeouts,
 * and transport failures turned into retryable ProviderErrors in one place.
 */
import got, { type Got, RequestError, type Response } from 'got';
import { rateLimited, transient } from '../errors.js';
import type { ProviderId } from '../../domain/index.js';
import { takeSendSlot } from './send-limit/installed.js';

/**
 * The one call shape every provider's HTTP client offers: which call this is (for errors and
 * request counts), the provider-specific request, and the activity's cancellation signal.
 */
export interface ProviderHttpClient<Request, Answer> {
  send(call: string, request: Request, signal?: AbortSignal): Promise<Answer>;
}

export interface HttpOptions {
  baseUrl: string;
  /** Per-request budget in ms for connect + response. */
  timeoutMs?: number;
  userAgent?: string;
}

export function createHttpClient(provider: ProviderId, options: HttpOptions): Got {
  return got.extend({
    prefixUrl: options.baseUrl.replace(/\/+$/, ''),
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    // Raw bytes are what signatures cover: adapters read `rawBody`, never a re-serialised object.
    responseType: 'buffer',
    timeout: { lookup: 2_000, connect: 3_000, secureConnect: 3_000, response: options.timeoutMs ?? 10_000 },
    headers: { 'user-agent': options.userAgent ?? `rescind (${provider})` },
  });
}

/**
 * Send a request and classify what went wrong on the way: network errors and timeouts are
 * retryable; 5xx and 429 are retryable; every other status is returned for the mapper to read.
 * Every request first waits for its send slot when a send limiter is installed (./send-limit/),
 * so a call that makes several requests spends several slots; `signal` ends that wait.
 */
export async function send(
  provider: ProviderId,
  call: string,
  request: () => Promise<Response<unknown>>,
  signal?: AbortSignal,
): Promise<Response<unknown>> {
  await takeSendSlot(provider, call, signal);
  let response: Response<unknown>;
  try {
    response = await request();
  } catch (err) {
    if (err instanceof RequestError) {
      throw transient(provider, call, `${err.code ?? 'request error'}: ${err.message}`);
    }
    throw err;
  }
  if (response.statusCode === 429) {
    throw rateLimited(provider, call, retryAfterMs(response.headers['retry-after']));
  }
  if (response.statusCode >= 500) {
    throw transient(provider, call, `HTTP ${response.statusCode}`, { httpStatus: response.statusCode });
  }
  return response;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
