import type { Client } from '@temporalio/client';
import { CANCEL_ORDER_WORKFLOW } from '../../domain/index.js';
import { MerchantKey, OrderKey, OutcomeKey, ProviderKey, StageKey } from '../../workflows/search-attributes.js';
import { parseListFilter, type ListFilter } from '../request.js';

export interface ListedCancellation {
  workflowId: string;
  runId: string;
  status: string;
  provider?: string;
  merchantId?: string;
  orderId?: string;
  stage?: string;
  /** Set when finished, and "needs_review" while waiting for an operator. */
  outcome?: string;
  startTime: string;
  closeTime?: string;
}

/**
 * Cancellations matching the filter, through Temporal visibility and the typed search attributes
 * (RescindProvider, RescindMerchant, RescindStage, RescindOutcome). Visibility lags the runs by a
 * moment. Bad filter values throw RequestError.
 */
export async function listCancellations(client: Client, filter: ListFilter = {}): Promise<ListedCancellation[]> {
  const f = parseListFilter(filter);
  // The filter values were checked against fixed lists and the id pattern, so quoting is safe.
  const clauses = [`WorkflowType = '${CANCEL_ORDER_WORKFLOW}'`];
  if (f.provider) clauses.push(`${ProviderKey.name} = '${f.provider}'`);
  if (f.merchantId) clauses.push(`${MerchantKey.name} = '${f.merchantId}'`);
  if (f.stage) clauses.push(`${StageKey.name} = '${f.stage}'`);
  if (f.outcome) clauses.push(`${OutcomeKey.name} = '${f.outcome}'`);
  const limit = f.limit ?? 100;
  const out: ListedCancellation[] = [];
  for await (const wf of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 1000) })) {
    const sa = wf.typedSearchAttributes;
    out.push({
      workflowId: wf.workflowId,
      runId: wf.runId,
      status: wf.status.name,
      provider: sa.get(ProviderKey),
      merchantId: sa.get(MerchantKey),
      orderId: sa.get(OrderKey),
      stage: sa.get(StageKey),
      outcome: sa.get(OutcomeKey),
      startTime: wf.startTime.toISOString(),
      closeTime: wf.closeTime?.toISOString(),
    });
    if (out.length >= limit) break;
  }
  return out;
}
