/**
 * What Ping++ allows (docs/providers/pingpp.md §4.2, §4.3): which channels reverse, paid or unpaid, inside which
 * window, and which refunds are accepted. Each refusal is the reason text Ping++ would give.
 */
import type { SandboxOrder } from '../../store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The 8 channels every revision accepts; only these may be reversed once paid (money goes back). */
export const SCAN_CHANNELS = ['wx_pub_scan', 'cb_wx_pub_scan', 'alipay_scan', 'cb_alipay_scan', 'upacp_scan', 'isv_scan', 'isv_wap', 'isv_qr'];
/** Added by the newer REV revision, and only while unpaid. */
export const UNPAID_ONLY_CHANNELS = ['alipay', 'alipay_qr', 'alipay_lite', 'upacp', 'upacp_pc', 'upacp_wap', 'wx', 'wx_wap', 'wx_lite', 'wx_pub', 'wx_pub_qr'];

/** Beijing-time day number; `shiftHours` moves the day boundary (UnionPay's day ends 23:00). */
const beijingDay = (ms: number, shiftHours = 0): number => Math.floor((ms + (8 + shiftHours) * HOUR) / DAY);

/** Why the channel's reversal window has passed, or undefined (windows per the REV page, §4.2). */
export function reverseWindowClosed(channel: string, createdAt: Date, now: Date): string | undefined {
  const age = now.getTime() - createdAt.getTime();
  if (channel === 'wx_pub_scan' || channel === 'cb_wx_pub_scan') return age > 7 * DAY ? 'only charges of the last 7 days can be reversed' : undefined;
  if (channel === 'alipay_scan' || channel === 'cb_alipay_scan') return age > DAY ? 'only charges of the last 24 hours can be reversed' : undefined;
  // UnionPay: from 23:00 of the previous day to 23:00 today.
  if (channel.startsWith('upacp')) return beijingDay(createdAt.getTime(), 1) !== beijingDay(now.getTime(), 1) ? 'UnionPay charges can be reversed only on the day they were made (until 23:00)' : undefined;
  if (channel.startsWith('isv_')) return beijingDay(createdAt.getTime()) !== beijingDay(now.getTime()) ? 'only charges made today can be reversed' : undefined;
  return undefined;
}

/** Why this charge cannot be reversed now, or undefined. An already reversed charge is not refused. */
export function reverseRefusal(order: SandboxOrder, now: Date, revision: 'newer' | 'older'): string | undefined {
  const channel = order.payType;
  const scan = SCAN_CHANNELS.includes(channel);
  if (!scan && !(revision === 'newer' && UNPAID_ONLY_CHANNELS.includes(channel))) return `charges of channel ${channel} cannot be reversed`;
  if (order.paidAt !== undefined) {
    if (!scan) return `charge is paid: channel ${channel} reverses only unpaid charges, use a refund`;
    if (order.refunds.length > 0) return 'charge has refunds and cannot be reversed';
  }
  return reverseWindowClosed(channel, order.createdAt, now);
}

export interface RefundAsk {
  amount?: unknown;
  description?: unknown;
  metadata?: unknown;
  funding_source?: unknown;
}

/** A malformed refund request: the parameter and what is wrong with it. */
export function refundParamError(ask: RefundAsk): { param: string; message: string } | undefined {
  if (typeof ask.description !== 'string' || ask.description.trim() === '') return { param: 'description', message: 'description is required' };
  if ([...ask.description].length > 255) return { param: 'description', message: 'description must be at most 255 characters' };
  if (ask.amount !== undefined && (typeof ask.amount !== 'number' || !Number.isInteger(ask.amount) || ask.amount <= 0)) return { param: 'amount', message: 'amount must be a positive integer (fen)' };
  if (ask.metadata !== undefined && (typeof ask.metadata !== 'object' || ask.metadata === null || Array.isArray(ask.metadata))) return { param: 'metadata', message: 'metadata must be an object' };
  if (ask.funding_source !== undefined && ask.funding_source !== 'unsettled_funds' && ask.funding_source !== 'recharge_funds') return { param: 'funding_source', message: 'funding_source must be unsettled_funds or recharge_funds' };
  return undefined;
}

/** Why the charge takes no refund at all, or undefined (§4.3: paid and not fully refunded). */
export function refundRefusal(order: SandboxOrder, refundable: number): string | undefined {
  if (order.paidAt === undefined) return 'charge is not paid: nothing to refund';
  if (order.state === 'reversed') return 'charge has been reversed: its money already went back';
  if (refundable <= 0) return 'charge has been fully refunded';
  return undefined;
}
