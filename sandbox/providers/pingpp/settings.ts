/**
 * Switches for behaviour the Ping++ reference leaves unconfirmed or per-account (docs/providers/pingpp.md §2, §3,
 * §4.2, §6.2, §11). Defaults are the most plausible reading; tests flip them to show the adapter
 * stays safe under the other reading.
 */
export interface PingppSandboxSettings {
  /** The sandbox app has RSA request signing switched on (§2.2): a POST without a valid signature fails. */
  requireSignedWrites: boolean;
  /** Accepted distance of Pingplusplus-Request-Timestamp from now, seconds ([UNCONFIRMED] §2.2, §11 Q2). */
  timestampSkewSec: number;
  /** Which REV revision decides the reverse channel list (§4.2, §11 Q3): the newer one adds 11 unpaid-only channels. */
  reverseRevision: 'newer' | 'older';
  /** Status of the rate-limit answer: 429, or 403 as the SDKs name it (§6.2, §11 Q6). */
  rateLimitStatus: 429 | 403;
  /** Whether 2xx answers carry X-Pingplusplus-Signature (§3.1, [UNCONFIRMED] §11 Q4). */
  signResponses: boolean;
  /** Webhooks as a live app gets them (signed) or as test mode sends them (empty signature, §3). */
  webhookMode: 'live' | 'test';
  /** When set, new refunds fail at the channel with this failure code (no money moves). */
  refundFailure?: { code: string; message: string };
  /** The simulator's clock for reverse windows and charge expiry (in-process only; tests fix it). */
  now: () => Date;
}

const DEFAULTS: PingppSandboxSettings = {
  requireSignedWrites: true,
  timestampSkewSec: 300,
  reverseRevision: 'newer',
  rateLimitStatus: 429,
  signResponses: true,
  webhookMode: 'live',
  refundFailure: undefined,
  now: () => new Date(),
};

/** Live settings of the Ping++ simulator (process-wide). */
export const pingppSandboxSettings: PingppSandboxSettings = { ...DEFAULTS };

export function resetPingppSandboxSettings(): void {
  Object.assign(pingppSandboxSettings, DEFAULTS);
}
