/**
 * What Ping++ allows (docs/providers/pingpp.md §4.2, §4.3): which channels reverse, paid or unpaid, inside which
 * window, and which refunds are accepted. Each refusal is the reason text Ping++ would give. The reverse channels
 * and windows are the workflow's own table (workflows/pingpp-channels.ts), so the simulator and the rules agree.
 */
import { pingppReverseChannel, reverseWindowOpen } from '../../../workflows/pingpp-channels.js';
import type { SandboxOrder } from '../../store.js';

/** Why this charge cannot be reversed now, or undefined. An already reversed charge is not refused. */
export function reverseRefusal(order: SandboxOrder, now: Date, revision: 'newer' | 'older'): string | undefined {
  const channel = order.payType;
  const entry = pingppReverseChannel(channel);
  // The older REV revision lists only the 8 scan/isv channels (§4.2).
  if (!entry || (revision === 'older' && entry.listedIn !== 'both')) {
    return `charges of channel ${channel} cannot be reversed`;
  }
  if (order.paidAt !== undefined) {
    if (entry.reversible === 'unpaid_only') {
      return `charge is paid: channel ${channel} reverses only unpaid charges, use a refund`;
    }
    if (order.refunds.length > 0) return 'charge has refunds and cannot be reversed';
  }
  if (!reverseWindowOpen(entry.window, order.createdAt.getTime(), now.getTime())) {
    return `the reversal window of channel ${channel} has passed: ${entry.windowRule}`;
  }
  return undefined;
}

export interface RefundAsk {
  amount?: unknown;
  description?: unknown;
  metadata?: unknown;
  funding_source?: unknown;
}

/** A malformed refund request: the parameter and what is wrong with it. */
export function refundParamError(ask: RefundAsk): { param: string; message: string } | undefined {
  if (typeof ask.description !== 'string' || ask.description.trim() === '')
    return { param: 'description', message: 'description is required' };
  if ([...ask.description].length > 255)
    return { param: 'description', message: 'description must be at most 255 characters' };
  if (ask.amount !== undefined && (typeof ask.amount !== 'number' || !Number.isInteger(ask.amount) || ask.amount <= 0))
    return { param: 'amount', message: 'amount must be a positive integer (fen)' };
  if (
    ask.metadata !== undefined &&
    (typeof ask.metadata !== 'object' || ask.metadata === null || Array.isArray(ask.metadata))
  )
    return { param: 'metadata', message: 'metadata must be an object' };
  if (
    ask.funding_source !== undefined &&
    ask.funding_source !== 'unsettled_funds' &&
    ask.funding_source !== 'recharge_funds'
  )
    return { param: 'funding_source', message: 'funding_source must be unsettled_funds or recharge_funds' };
  return undefined;
}

/** Why the charge takes no refund at all, or undefined (§4.3: paid and not fully refunded). */
export function refundRefusal(order: SandboxOrder, refundable: number): string | undefined {
  if (order.paidAt === undefined) return 'charge is not paid: nothing to refund';
  if (order.state === 'reversed') return 'charge has been reversed: its money already went back';
  if (refundable <= 0) return 'charge has been fully refunded';
  return undefined;
}
