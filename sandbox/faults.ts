/**
 * Fault injection, per provider and call. A fault is queued with a count and consumed by the
 * next matching requests, so a test can say "the next 3 QFPay reversals answer 1145".
 */
import type { ProviderId } from '../domain/index.js';

export const FAULT_KINDS = [
  /** HTTP 500 (or the provider's system-error shape), nothing applied. */
  'http_500',
  /** Hold the request without answering (the client times out), nothing applied. */
  'timeout',
  /** Destroy the connection before answering, nothing applied. */
  'reset',
  /** The provider's rate-limit answer (HTTP 429 / FREQUENCY_LIMITED), nothing applied. */
  'rate_limit',
  /** Apply the call, then answer with a signature that does not verify. */
  'bad_signature',
  /** Apply the call, then drop the connection: the caller cannot know it worked. */
  'applied_response_lost',
  /** Answer "still in progress" (QFPay 1143/1145, WeChat USERPAYING), nothing applied. */
  'in_progress',
  /** Apply the call, then answer as usual after holdMs (default 5 s): a slow provider. */
  'slow',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const SANDBOX_CALLS = ['query', 'close', 'reverse', 'refund', 'queryRefund'] as const;
export type SandboxCall = (typeof SANDBOX_CALLS)[number];

export interface Fault {
  provider: ProviderId;
  call: SandboxCall;
  kind: FaultKind;
  /** How many requests this fault answers. */
  remaining: number;
  /** Provider code to answer with, e.g. QFPay "1145"; for in_progress a list cycles. */
  codes?: string[];
  /** For `timeout` and `slow`: how long to hold the request (or its answer), ms. */
  holdMs?: number;
  applied: number;
}

export class FaultPlan {
  private faults: Fault[] = [];
  /** Work an answer must wait for once its call is applied (a late payment's notification being acknowledged). */
  private holds: Promise<unknown>[] = [];

  /** The answer of the call being applied goes out only once `work` settles. */
  holdAnswer(work: Promise<unknown>): void {
    this.holds.push(work);
  }

  /** Wait for every held piece of work (see holdAnswer). */
  async releaseAnswers(): Promise<void> {
    const holds = this.holds;
    this.holds = [];
    await Promise.allSettled(holds);
  }

  add(input: {
    provider: ProviderId;
    call: SandboxCall;
    kind: FaultKind;
    count?: number;
    codes?: string[];
    holdMs?: number;
  }): Fault {
    const fault: Fault = {
      provider: input.provider,
      call: input.call,
      kind: input.kind,
      remaining: input.count ?? 1,
      codes: input.codes,
      holdMs: input.holdMs,
      applied: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Consume the next fault for this call, if any. Returns the code to use for this hit. */
  take(provider: ProviderId, call: SandboxCall): { fault: Fault; code?: string } | undefined {
    const fault = this.faults.find((f) => f.provider === provider && f.call === call && f.remaining > 0);
    if (!fault) return undefined;
    const code = fault.codes && fault.codes.length > 0 ? fault.codes[fault.applied % fault.codes.length] : undefined;
    fault.remaining -= 1;
    fault.applied += 1;
    return { fault, code };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
