/**
 * The activities: one per provider call, built by a factory so the worker injects the adapters
 * (and tests can inject theirs). Each turns adapter errors into the ApplicationFailure that
 * carries the failure channel (activities/errors.ts), so retry decisions are made in one place.
 */
import { Context } from '@temporalio/activity';
import { recordRefundRequested } from '../platform/metrics/registry.js';
import { timeProviderCall, type ProviderCallName } from './call-metrics.js';
import { configurationError, FailureType, inProgress, isProviderError, toApplicationFailure } from './errors.js';
import type { ProviderAdapter } from './providers/provider.js';
import type {
  CancelResult,
  Observation,
  OrderRef,
  ProviderId,
  RefundObservation,
  RefundRequest,
  RefundResult,
} from '../domain/index.js';

export interface ActivityDeps {
  adapters: Partial<Record<ProviderId, ProviderAdapter>>;
}

export interface QueryOrderInput {
  order: OrderRef;
  /** Keep polling inside this activity while the provider says "paying" (retries with nextRetryDelay). */
  pollWhilePaying?: { intervalMs: number; budgetMs: number };
}

/** Options every write activity takes. */
export interface WriteOptions {
  /** How soon to try again while the provider answers "in progress" (default: the adapter's hint). */
  inProgressRetryMs?: number;
}

/**
 * A "paying" answer while the poll budget lasts ends the attempt "in progress" (an
 * ApplicationFailure, so queryOrder does not read it as an unknown answer), and Temporal asks again
 * after the poll interval: polling costs no workflow history.
 */
function pollWhilePaying(input: QueryOrderInput, observation: Observation): Observation {
  const poll = input.pollWhilePaying;
  if (observation.status !== 'paying' || !poll) return observation;
  // The provider's budget runs from when the customer started paying: an order created long
  // ago (a reconciliation candidate) has spent it, so it is not polled for minutes more.
  const createdAt = Date.parse(input.order.createdAt ?? '');
  const since = Math.min(Context.current().info.scheduledTimestampMs, Number.isNaN(createdAt) ? Infinity : createdAt);
  if (Date.now() - since + poll.intervalMs >= poll.budgetMs) return observation;
  throw toApplicationFailure(inProgress(input.order.provider, 'queryOrder', observation.providerCode, poll.intervalMs));
}

export function createActivities(deps: ActivityDeps) {
  const adapterFor = (order: OrderRef): ProviderAdapter => {
    const adapter = deps.adapters[order.provider];
    if (!adapter)
      throw configurationError(
        order.provider,
        'this worker has no credentials for the provider (see the README, Configuration)',
      );
    return adapter;
  };
  const signal = (): AbortSignal => Context.current().cancellationSignal;
  /** One provider call through the order's adapter, timed and counted (a missing adapter makes no call). */
  const through = <T>(order: OrderRef, name: ProviderCallName, work: (adapter: ProviderAdapter) => Promise<T>) => {
    const adapter = adapterFor(order);
    return timeProviderCall(order.provider, name, () => work(adapter));
  };

  /** Run one provider call; every failure leaves as an ApplicationFailure with an explicit type. */
  const call = async <T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (isProviderError(err) && err.type === FailureType.InProgress && options.inProgressRetryMs !== undefined) {
        err.details.retryAfterMs = options.inProgressRetryMs;
      }
      throw toApplicationFailure(err);
    }
  };

  return {
    /**
     * Query the order. Transport trouble and untrusted answers come back as an `unknown`
     * observation for the policy to weigh; configuration mistakes fail the activity; a "paying"
     * answer is polled (pollWhilePaying).
     */
    async queryOrder(input: QueryOrderInput): Promise<Observation> {
      return call(async () => {
        try {
          return await through(input.order, 'queryOrder', async (adapter) =>
            pollWhilePaying(input, await adapter.queryOrder(input.order, signal())),
          );
        } catch (err) {
          if (isProviderError(err) && err.retryable) {
            return {
              status: 'unknown',
              reason: err.message,
              providerCode: err.details.providerCode ?? err.type,
            } satisfies Observation;
          }
          throw err;
        }
      });
    },

    async closeOrder(order: OrderRef, options?: WriteOptions): Promise<CancelResult> {
      return call(() => through(order, 'closeOrder', (adapter) => adapter.closeOrder(order, signal())), options);
    },

    async reverseOrder(order: OrderRef, options?: WriteOptions): Promise<CancelResult> {
      return call(() => through(order, 'reverseOrder', (adapter) => adapter.reverseOrder(order, signal())), options);
    },

    async refundOrder(order: OrderRef, refund: RefundRequest, options?: WriteOptions): Promise<RefundResult> {
      return call(
        () =>
          through(order, 'refundOrder', (adapter) => {
            // Counted once per refund call: its retries ask for the same refund again.
            if (Context.current().info.attempt === 1)
              recordRefundRequested(order.provider, refund.amount, order.currency);
            return adapter.refundOrder(order, refund, signal());
          }),
        options,
      );
    },

    async queryRefund(order: OrderRef, refundKey: string): Promise<RefundObservation> {
      return call(() => through(order, 'queryRefund', (adapter) => adapter.queryRefund(order, refundKey, signal())));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
export { FailureType };
