/**
 * Provider faults on about a given share of requests, through the sandbox admin API.
 *
 * The sandbox queues faults per provider and call and lets the next matching request take one; it
 * has no "fault this share of requests" mode. So the feeder keeps one fault armed on each call a
 * provider serves, and re-arms a call whose fault was taken only while the faults taken so far are
 * below the share of the requests served so far. Every fault kind the sandbox has is drawn from
 * the seeded PRNG, "in progress" as a run of one to three answers.
 */
import type { ProviderId } from '../../domain/index.js';
import { FAULT_KINDS, type FaultKind, type SandboxCall } from '../../sandbox/faults.js';
import type { Random } from './random.js';
import type { SandboxAdmin } from './sandbox-admin.js';

/** The calls each provider's sandbox serves (PAYJS has no refund query; Ping++ no close). */
export const FAULTABLE_CALLS: Record<ProviderId, readonly SandboxCall[]> = {
  payjs: ['query', 'close', 'reverse', 'refund'],
  qfpay: ['query', 'close', 'reverse', 'refund', 'queryRefund'],
  wechatpay: ['query', 'close', 'reverse', 'refund', 'queryRefund'],
  pingpp: ['query', 'reverse', 'refund', 'queryRefund'],
};

/** Longer than the adapters' 10 s response budget (activities/providers/http.ts), so the client times out first. */
const TIMEOUT_HOLD_MS = 11_000;
/** Within that budget: the call waits for it. */
const SLOW_ANSWER_MS = 2_000;

export interface FaultFigures {
  requests: number;
  /** Faulted answers by kind (a request that took a fault). */
  applied: Record<FaultKind, number>;
  appliedTotal: number;
}

export class FaultFeeder {
  private readonly armed = new Map<string, number>();
  private final?: FaultFigures;

  constructor(
    private readonly admin: SandboxAdmin,
    private readonly random: Random,
    private readonly share: number,
  ) {}

  /** Read what the sandbox served and took, then arm the calls whose fault was taken, within the share. */
  async tick(): Promise<void> {
    const [requests, faults] = await Promise.all([this.admin.requestTotal(), this.admin.faults()]);
    const pending = new Set(faults.filter((f) => f.remaining > 0).map((f) => `${f.provider}:${f.call}`));
    let taken = faults.reduce((sum, f) => sum + f.applied, 0);
    const calls = Object.entries(FAULTABLE_CALLS).flatMap(([provider, list]) =>
      list.map((call) => ({ provider: provider as ProviderId, call })),
    );
    for (const { provider, call } of shuffle(this.random, calls)) {
      if (pending.has(`${provider}:${call}`)) continue;
      // Before any traffic every call is armed once; afterwards only within the share.
      if (this.armed.has(`${provider}:${call}`) && taken >= this.share * requests) continue;
      const fault = this.draw(provider);
      await this.admin.call('POST', '/faults', { provider, call, ...fault });
      this.armed.set(`${provider}:${call}`, (this.armed.get(`${provider}:${call}`) ?? 0) + 1);
      taken += fault.count;
    }
  }

  /** Stop: record what was taken, then clear the faults still queued so the runs can settle calmly. */
  async stop(): Promise<FaultFigures> {
    if (this.final) return this.final;
    const [requests, faults] = await Promise.all([this.admin.requestTotal(), this.admin.faults()]);
    await this.admin.call('DELETE', '/faults');
    const applied = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
    for (const f of faults) applied[f.kind] += f.applied;
    this.final = { requests, applied, appliedTotal: Object.values(applied).reduce((a, b) => a + b, 0) };
    return this.final;
  }

  private draw(provider: ProviderId): { kind: FaultKind; count: number; holdMs?: number; codes?: string[] } {
    const kind = this.random.pick(FAULT_KINDS);
    if (kind === 'timeout') return { kind, count: 1, holdMs: TIMEOUT_HOLD_MS };
    // A slow answer the client waits for, or one it gives up on after the provider applied the call.
    if (kind === 'slow') return { kind, count: 1, holdMs: this.random.pick([SLOW_ANSWER_MS, TIMEOUT_HOLD_MS]) };
    // QFPay's two "processing" codes (docs/providers/qfpay.md §5.2); other providers answer their own.
    if (kind === 'in_progress') {
      return { kind, count: this.random.int(1, 3), ...(provider === 'qfpay' ? { codes: ['1143', '1145'] } : {}) };
    }
    return { kind, count: 1 };
  }
}

function shuffle<T>(random: Random, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
