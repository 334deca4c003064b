// Over 250 lines: decide() and its helpers are one pure function, tested row by row; splitting it would hide the order of its rules.
/**
 * The cancellation policy as one pure function: given the provider's rules, the order, the
 * latest verified observation and what this run has done so far, say what to do next.
 *
 * Query first; act only on a verified observation; refund what is paid (never reverse a known
 * paid order as a shortcut); close or reverse what is unpaid; reverse an order of unknown state
 * only as the last resort, where the provider documents it and inside its window; confirm every
 * write with a query; hand anything outside the rules to a human.
 */
import { NON_RETRYABLE_TYPES, type Observation, type OrderRef, type Outcome } from '../domain/index.js';
import type { CancelCall, NoCancelCall, ProviderRules } from './rules.js';

/** What the run remembers between decisions (carried across continue-as-new). */
export interface PolicyMemory {
  /** Consecutive unknown answers. */
  unknownStreak: number;
  /** Consecutive not_found answers. */
  notFoundStreak: number;
  /** Queries since the last write that did not yet show its effect. */
  confirmStreak: number;
  writes: { close: number; reverse: number; refund: number };
  /** The last close/reverse/refund and what the provider said. */
  lastWrite?: {
    call: CancelCall | 'refund';
    result: 'done' | 'already' | 'rejected' | 'failed';
    providerCode: string;
    message?: string;
  };
  refund?: RefundMemory;
  /**
   * The sequence of the next refund key: the same as the last one while that refund may still exist,
   * one more once the provider refused it or it failed there. Survives an operator's retry and
   * continue-as-new, so no key is used for two attempts. Absent in memory carried from older runs.
   */
  nextRefundSequence?: number;
}

export interface RefundMemory {
  key: string;
  /** Increments only after a verified failed refund, so a new key is never used for the same attempt. */
  sequence: number;
  amount: number;
  status: 'requested' | 'processing' | 'succeeded' | 'failed';
  refundId?: string;
  providerCode: string;
  checks: number;
}

export const freshMemory = (): PolicyMemory => ({
  unknownStreak: 0,
  notFoundStreak: 0,
  confirmStreak: 0,
  writes: { close: 0, reverse: 0, refund: 0 },
});

export type Action =
  | { type: 'wait'; ms: number; why: string }
  | { type: 'close' }
  | { type: 'reverse' }
  | { type: 'refund'; amount: number; sequence: number }
  | { type: 'query_refund'; afterMs: number }
  | { type: 'finish'; outcome: Outcome }
  | { type: 'review'; reason: string };

/** Decide the next step. `now` is workflow time in ms. */
export function decide(
  rules: ProviderRules,
  order: OrderRef,
  obs: Observation,
  memory: PolicyMemory,
  now: number,
): Action {
  const refund = memory.refund;
  if (refund?.status === 'processing' || refund?.status === 'requested') {
    if (refund.checks >= rules.refund.maxChecks) {
      return review(`refund ${refund.key} still processing after ${refund.checks} checks (${refund.providerCode})`);
    }
    return { type: 'query_refund', afterMs: refund.checks === 0 ? 0 : rules.refund.pollMs };
  }
  if (refund?.status === 'failed') {
    return review(
      // The provider's words say what happened (a balance too low, or money that bounced off the payer's
      // account): a retry sends a new refund, so it is advised only for money that never left.
      `refund ${refund.key} failed at the provider (${refund.providerCode}); if no money reached the payer and none was returned by other means, retry (a new refund key will be used); otherwise mark it resolved`,
    );
  }

  switch (obs.status) {
    case 'unknown':
      return decideUnknown(rules, order, obs, memory, now);
    case 'not_found':
      if (memory.notFoundStreak < 2)
        return { type: 'wait', ms: rules.confirmDelayMs, why: 'not found yet: asking again before concluding' };
      return finish({ kind: 'not_found', providerCode: obs.providerCode });
    case 'paying':
      // The query activity already polled for the provider's budget: the customer is stuck paying.
      return cancelUnpaid(rules, order, obs, memory, now, 'still paying after the polling budget');
    case 'unpaid':
      if (wroteSuccessfully(memory, 'close', 'reverse')) {
        if (!rules.queryShowsClosure) return finishAfterCancel(memory);
        return confirmOrReview(
          rules,
          memory,
          `the ${memory.lastWrite!.call} was accepted but the order still shows unpaid`,
        );
      }
      return cancelUnpaid(rules, order, obs, memory, now, 'unpaid');
    case 'paid':
      return decidePaid(rules, order, obs, memory, now);
    case 'refunding':
      if (refund) return { type: 'query_refund', afterMs: rules.refund.pollMs };
      return confirmOrReview(rules, memory, 'a refund we did not make is in progress');
    case 'refunded':
      if (refund?.status === 'succeeded') return finishRefunded(refund);
      if (obs.full)
        return finish({ kind: 'already_refunded', refundedAmount: obs.refundedAmount, providerCode: obs.providerCode });
      if (obs.refundedAmount === 0)
        return review(
          `a refund Rescind did not make exists (${obs.providerCode}) and the provider does not say how much: check it in the merchant platform`,
        );
      return review(
        `partially refunded (${obs.refundedAmount} of ${obs.amount ?? order.amount ?? '?'}) by someone else: decide whether to refund the rest`,
      );
    case 'closed':
      if (refund?.status === 'succeeded') return finishRefunded(refund);
      if (
        memory.lastWrite?.call === 'reverse' &&
        memory.lastWrite.result !== 'rejected' &&
        memory.lastWrite.result !== 'failed'
      ) {
        if (obs.reversedAfterPayment)
          return finish({ kind: 'reversed', moneyReturned: true, providerCode: obs.providerCode });
        return finish({ kind: 'closed_unpaid', via: 'reverse', providerCode: obs.providerCode });
      }
      if (
        memory.lastWrite?.call === 'close' &&
        memory.lastWrite.result !== 'rejected' &&
        memory.lastWrite.result !== 'failed'
      ) {
        return finish({ kind: 'closed_unpaid', via: 'close', providerCode: obs.providerCode });
      }
      return finish({ kind: 'already_closed', reason: obs.reason, providerCode: obs.providerCode });
  }
}

function decideUnknown(
  rules: ProviderRules,
  order: OrderRef,
  obs: Extract<Observation, { status: 'unknown' }>,
  memory: PolicyMemory,
  now: number,
): Action {
  if (memory.unknownStreak < rules.unknownRetry.attempts) {
    const ms = Math.min(
      rules.unknownRetry.firstDelayMs * 2 ** Math.max(0, memory.unknownStreak - 1),
      rules.unknownRetry.maxDelayMs,
    );
    return { type: 'wait', ms, why: `answer not trusted (${obs.reason}): asking again` };
  }
  const noCall = noCancelCallFor(rules, order);
  const cannot =
    (noCall && `${cannotCancel(order, noCall)}; check the order in the merchant portal`) ??
    whyNotReverse(rules, order, now, true) ??
    (memory.writes.reverse >= rules.maxWrites ? `reverse already tried ${memory.writes.reverse} times` : undefined);
  if (cannot)
    return review(
      `order state unknown after ${memory.unknownStreak} queries (${obs.reason}) and reverse is not possible: ${cannot}`,
    );
  return { type: 'reverse' };
}

function decidePaid(
  rules: ProviderRules,
  order: OrderRef,
  obs: Extract<Observation, { status: 'paid' }>,
  memory: PolicyMemory,
  now: number,
): Action {
  const refund = memory.refund;
  if (refund?.status === 'succeeded') {
    // A verified refund answer is proof; a query that cannot show refunds cannot contradict it.
    if (!rules.queryShowsRefunds) return finishRefunded(refund);
    return confirmOrReview(rules, memory, `refund ${refund.key} succeeded but the order still shows paid`);
  }
  if (wroteSuccessfully(memory, 'reverse') && !rules.queryShowsClosure) {
    // PAYJS: a paid order that is reversed is refunded automatically (docs/providers/payjs.md §3.2), but check cannot show it.
    return finish({ kind: 'reversed', moneyReturned: true, providerCode: memory.lastWrite!.providerCode });
  }
  const noCall = noCancelCallFor(rules, order);
  if (noCall && !noCall.refundable)
    return review(
      `paid by pay type ${order.payType} (${noCall.name}), which ${order.provider} cannot refund: return the money to the payer by other means (e.g. a bank transfer), then mark resolved`,
    );
  if (memory.writes.refund >= rules.maxWrites)
    return review(
      `refund tried ${memory.writes.refund} times without a confirmed result (last: ${describeWrite(memory)})`,
    );
  if (memory.lastWrite?.call === 'refund' && memory.lastWrite.result === 'rejected') {
    return review(`refund rejected by the provider: ${describeWrite(memory)}`);
  }
  const paidAt = obs.paidAt ? Date.parse(obs.paidAt) : undefined;
  if (rules.refund.windowMs !== undefined && paidAt !== undefined && now - paidAt > rules.refund.windowMs) {
    return review(`paid ${Math.floor((now - paidAt) / 86_400_000)} days ago, past the provider's refund window`);
  }
  const amount = obs.amount ?? order.amount;
  if (amount === undefined || amount <= 0)
    return review('paid, but neither the provider nor the request gives the amount to refund');
  if (!rules.refund.partial && order.amount !== undefined && amount !== order.amount) {
    return review(
      `paid ${amount}, but the order total is ${order.amount}, and ${order.provider} refunds whole orders only: check the order in the merchant platform`,
    );
  }
  return { type: 'refund', amount, sequence: refundSequenceFor(memory) };
}

/** The sequence the next refund key uses (docs/policy.md, "Refund keys"). */
export function refundSequenceFor(memory: PolicyMemory): number {
  if (memory.nextRefundSequence !== undefined) return memory.nextRefundSequence;
  // Memory carried from a run before nextRefundSequence: such runs never sent a key past -RF1.
  const refund = memory.refund;
  if (refund) return refund.status === 'failed' ? refund.sequence + 1 : refund.sequence;
  const w = memory.lastWrite;
  const spent =
    w?.call === 'refund' &&
    (w.result === 'rejected' || (w.result === 'failed' && NON_RETRYABLE_TYPES.includes(w.providerCode as never)));
  return spent ? 2 : 1;
}

/** Close or reverse an order nobody has paid (or one stuck paying), as the provider prescribes for its pay type. */
function cancelUnpaid(
  rules: ProviderRules,
  order: OrderRef,
  obs: Observation,
  memory: PolicyMemory,
  now: number,
  state: string,
): Action {
  const noCall = noCancelCallFor(rules, order);
  if (noCall) return waitOutPaymentWindow(rules, order, noCall, now, state);
  const call = cancelCallFor(rules, order);
  if (call === null)
    return review(
      `${state}, and ${order.provider} offers no call that cancels pay type ${order.payType ?? '(unknown)'}; it will expire on its own`,
    );
  if (
    memory.lastWrite?.call === call &&
    memory.lastWrite.result === 'rejected' &&
    memory.writes[call] >= rules.maxWrites
  ) {
    return review(`${call} rejected ${memory.writes[call]} times: ${describeWrite(memory)}`);
  }
  if (memory.writes[call] >= rules.maxWrites)
    return review(`${call} tried ${memory.writes[call]} times and the order still shows ${obs.status}`);
  if (call === 'reverse') {
    const cannot = whyNotReverse(rules, order, now, false);
    if (cannot) return review(`${state}, but reverse is not possible: ${cannot}`);
    return { type: 'reverse' };
  }
  if (rules.closeWindowMs !== undefined) {
    const age = ageMs(order, now);
    if (age === undefined)
      return review(`${state}: the order's creation time is needed to know whether close is still allowed`);
    if (age > rules.closeWindowMs) return review(`${state}, but the order is older than the provider's close window`);
  }
  return { type: 'close' };
}

/**
 * An order no call can cancel (docs/policy.md, "Pay types no call cancels"): wait until its payment window has
 * ended (plus the time the provider is given to show it, confirmAttempts × confirmDelayMs), then a query decides:
 * expired or closed ends the run, paid is refunded; still unpaid after the window, an operator looks.
 */
function waitOutPaymentWindow(
  rules: ProviderRules,
  order: OrderRef,
  noCall: NoCancelCall,
  now: number,
  state: string,
): Action {
  const why = cannotCancel(order, noCall);
  const age = ageMs(order, now);
  if (age === undefined)
    return review(
      `${state}; ${why}, and without the order's creation time (createdAt) the end of its payment window is unknown: check the order in the merchant portal; once it can no longer be paid, mark resolved`,
    );
  const window = noCall.paymentWindowMs;
  const left = window + rules.confirmAttempts * rules.confirmDelayMs - age;
  if (left > 0)
    return { type: 'wait', ms: left, why: `${state}; ${why}: waiting out its ${formatAge(window)} payment window` };
  const ifPaid = noCall.refundable
    ? 'if it was paid, retry (Rescind then refunds it)'
    : 'if it was paid, return the money by other means (it cannot be refunded) and mark resolved';
  return review(
    `${state} ${formatAge(age)} after creation, past its ${formatAge(window)} payment window; ${why}: check in the merchant portal whether it can still be paid; once it cannot, mark resolved; ${ifPaid}`,
  );
}

const cannotCancel = (order: OrderRef, noCall: NoCancelCall): string =>
  `${order.provider} cannot reverse or close pay type ${order.payType} (${noCall.name})`;

/** The order's pay type is one no call cancels. */
export function noCancelCallFor(rules: ProviderRules, order: OrderRef): NoCancelCall | undefined {
  return ownEntry(rules.noCancelCall ?? {}, order.payType);
}

/** A pay type's own entry in a rules table: a caller's "toString" must not find Object.prototype's. */
function ownEntry<T>(table: Record<string, T>, payType: string | undefined): T | undefined {
  return payType !== undefined && Object.hasOwn(table, payType) ? table[payType] : undefined;
}

export function cancelCallFor(rules: ProviderRules, order: OrderRef): CancelCall | null {
  const byType = ownEntry(rules.cancelCall.byPayType, order.payType);
  return byType !== undefined ? byType : rules.cancelCall.default;
}

/** Why reverse is not allowed for this order now, or undefined when it is. */
export function whyNotReverse(
  rules: ProviderRules,
  order: OrderRef,
  now: number,
  stateUnknown: boolean,
): string | undefined {
  if (
    stateUnknown &&
    !rules.reverseWhenUnknown.includes('*') &&
    !rules.reverseWhenUnknown.includes(order.payType ?? '')
  ) {
    return `${order.provider} documents reverse for unknown-state orders only for pay types ${rules.reverseWhenUnknown.join(', ')} (this order: ${order.payType ?? 'not given'})`;
  }
  const age = ageMs(order, now);
  if (age === undefined) return "the order's creation time (createdAt) is needed to check the reversal window";
  const window = ownEntry(rules.reverseWindowMs.byPayType, order.payType) ?? rules.reverseWindowMs.default;
  if (age > window) return `the order is ${formatAge(age)} old, past the ${formatAge(window)} reversal window`;
  return undefined;
}

function confirmOrReview(rules: ProviderRules, memory: PolicyMemory, problem: string): Action {
  if (memory.confirmStreak < rules.confirmAttempts)
    return { type: 'wait', ms: rules.confirmDelayMs, why: `${problem}: confirming` };
  return review(`${problem} after ${memory.confirmStreak} queries`);
}

function finishAfterCancel(memory: PolicyMemory): Action {
  const write = memory.lastWrite!;
  return finish({
    kind: 'closed_unpaid',
    via: write.call === 'reverse' ? 'reverse' : 'close',
    providerCode: write.providerCode,
  });
}

function finishRefunded(refund: RefundMemory): Action {
  return finish({
    kind: 'refunded',
    amount: refund.amount,
    refundKey: refund.key,
    refundId: refund.refundId,
    providerCode: refund.providerCode,
  });
}

function wroteSuccessfully(memory: PolicyMemory, ...calls: (CancelCall | 'refund')[]): boolean {
  const w = memory.lastWrite;
  return w !== undefined && calls.includes(w.call) && (w.result === 'done' || w.result === 'already');
}

function ageMs(order: OrderRef, now: number): number | undefined {
  if (!order.createdAt) return undefined;
  const created = Date.parse(order.createdAt);
  return Number.isNaN(created) ? undefined : now - created;
}

function formatAge(ms: number): string {
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)} d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.floor(ms / 60_000)} min`;
}

function describeWrite(memory: PolicyMemory): string {
  const w = memory.lastWrite;
  return w ? `${w.call} ${w.result} (${w.providerCode}${w.message ? `: ${w.message}` : ''})` : 'none';
}

const finish = (outcome: Outcome): Action => ({ type: 'finish', outcome });
const review = (reason: string): Action => ({ type: 'review', reason });
