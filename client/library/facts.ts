import type { OrderRef } from '../../domain/index.js';
import { CancellationConflictError } from './errors.js';

/** The facts of an order that steer its cancellation; a second start must not contradict them. */
export type OrderFacts = Pick<OrderRef, 'providerOrderId' | 'amount' | 'currency' | 'payType' | 'createdAt'>;
const FACTS = ['providerOrderId', 'amount', 'currency', 'payType', 'createdAt'] as const;

/** The same fact, however it is written (an instant in any offset; a currency in any case). */
const sameFact = (fact: (typeof FACTS)[number], a: unknown, b: unknown): boolean => {
  if (fact === 'createdAt') return Date.parse(String(a)) === Date.parse(String(b));
  if (fact === 'currency') return String(a).toUpperCase() === String(b).toUpperCase();
  return a === b;
};

/** Throw CancellationConflictError when the request states a fact the existing run has otherwise (a fact left out is no conflict). */
export function assertSameFacts(workflowId: string, running: OrderRef, requested: OrderRef): void {
  const fields = FACTS.filter(
    (fact) => requested[fact] !== undefined && !sameFact(fact, running[fact], requested[fact]),
  ).map((fact) => ({
    field: `order.${fact}`,
    message: `the existing cancellation for this order has ${running[fact] === undefined ? 'none' : JSON.stringify(running[fact])}; this request says ${JSON.stringify(requested[fact])}`,
  }));
  if (fields.length === 0) return;
  const pick = (o: OrderRef): OrderFacts =>
    Object.fromEntries(FACTS.filter((f) => o[f] !== undefined).map((f) => [f, o[f]]));
  throw new CancellationConflictError(workflowId, pick(running), pick(requested), fields);
}
