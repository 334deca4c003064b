/**
 * Answer one simulated provider call, applying any queued fault. Every provider route goes
 * through `answer`, so each fault behaves the same way whichever provider it hits.
 */
import type { FastifyReply } from 'fastify';
import type { ProviderId } from '../domain/index.js';
import type { FaultPlan, SandboxCall } from './faults.js';

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** Exact bytes sent: signatures are computed over these. */
  body?: string;
}

export interface CallSpec {
  provider: ProviderId;
  call: SandboxCall;
  /** Perform the call (may change state) and build the unsigned answer. */
  handle: () => SimReply | Promise<SimReply>;
  /** Sign an answer; with `corrupt` the signature must not verify. */
  sign: (reply: SimReply, options: { corrupt: boolean }) => SimReply;
  /** The provider's "still in progress" answer, for the in_progress fault. */
  inProgress?: (code?: string) => SimReply;
  /** The provider's rate-limit answer. Defaults to a bare HTTP 429. */
  rateLimited?: () => SimReply;
  /** The provider's system-error answer. Defaults to a bare HTTP 500. */
  serverError?: () => SimReply;
}

export async function answer(reply: FastifyReply, faults: FaultPlan, spec: CallSpec): Promise<void> {
  const hit = faults.take(spec.provider, spec.call);
  const kind = hit?.fault.kind;

  if (kind === 'reset') return destroy(reply);
  if (kind === 'timeout') {
    await new Promise((resolve) => setTimeout(resolve, hit?.fault.holdMs ?? 30_000));
    return destroy(reply);
  }
  if (kind === 'http_500')
    return send(reply, spec.sign(spec.serverError?.() ?? { status: 500, body: '' }, { corrupt: false }));
  if (kind === 'rate_limit')
    return send(reply, spec.sign(spec.rateLimited?.() ?? { status: 429, body: '' }, { corrupt: false }));
  if (kind === 'in_progress') {
    if (!spec.inProgress) throw new Error(`${spec.provider} ${spec.call} has no in-progress answer`);
    return send(reply, spec.sign(spec.inProgress(hit?.code), { corrupt: false }));
  }

  const result = await spec.handle();
  await faults.releaseAnswers();
  if (kind === 'slow') await new Promise((resolve) => setTimeout(resolve, hit?.fault.holdMs ?? 5_000));
  if (kind === 'applied_response_lost') return destroy(reply);
  return send(reply, spec.sign(result, { corrupt: kind === 'bad_signature' }));
}

export function send(reply: FastifyReply, r: SimReply): void {
  void reply
    .code(r.status)
    .headers(r.headers ?? {})
    .send(r.body ?? '');
}

function destroy(reply: FastifyReply): void {
  reply.hijack();
  reply.raw.socket?.destroy();
}
