/**
 * The one interface every provider adapter implements. The values it takes and returns are the
 * domain's (domain/): an adapter's job is to turn a provider's protocol into them.
 */
import type {
  CancelResult,
  Observation,
  OrderRef,
  ProviderId,
  RefundObservation,
  RefundRequest,
  RefundResult,
} from '../../domain/index.js';

/** A provider adapter. A call the provider does not offer throws NotSupportedError. */
export interface ProviderAdapter {
  readonly id: ProviderId;
  queryOrder(order: OrderRef, signal?: AbortSignal): Promise<Observation>;
  closeOrder(order: OrderRef, signal?: AbortSignal): Promise<CancelResult>;
  reverseOrder(order: OrderRef, signal?: AbortSignal): Promise<CancelResult>;
  refundOrder(order: OrderRef, refund: RefundRequest, signal?: AbortSignal): Promise<RefundResult>;
  queryRefund(order: OrderRef, refundKey: string, signal?: AbortSignal): Promise<RefundObservation>;
}
