import { cancellationWorkflowId, type ProviderId } from '../../domain/index.js';

/** Which cancellation: by order (provider + merchant + order id) or by workflow id. */
export type CancellationRef = { provider: ProviderId; merchantId: string; orderId: string } | { workflowId: string };

export const workflowIdOf = (ref: CancellationRef): string =>
  'workflowId' in ref ? ref.workflowId : cancellationWorkflowId(ref.provider, ref.merchantId, ref.orderId);
