/**
 * One contract suite for every provider: the adapter (built from the provider's descriptor) against
 * the real sandbox over HTTP, every call and order state, faults, and the sandbox ledger as the
 * referee for money (one movement per intent, never two). A provider's test file supplies its
 * ProviderContract (./spec.ts) and keeps only what is its own: its codes, windows and switches.
 */
import type { ProviderConfigBase } from '../../../../activities/providers/descriptor.js';
import { describeCancelCases } from './cancel-cases.js';
import { describeMistakeCases } from './mistake-cases.js';
import { describeNotificationCases } from './notification-cases.js';
import { useProviderSandbox, type ProviderSandbox } from './provider-sandbox.js';
import { describeQueryCases } from './query-cases.js';
import { describeRefundCases } from './refund-cases.js';
import type { ProviderContract } from './spec.js';
import { describeWriteFaultCases } from './write-fault-cases.js';

/**
 * Start a sandbox for this test file and declare the shared cases. Returns the provider's sandbox
 * view, for the file's own cases.
 */
export function describeProviderContract<C extends ProviderConfigBase>(spec: ProviderContract<C>): ProviderSandbox<C> {
  const px = useProviderSandbox(spec.descriptor, {
    amount: spec.order.amount,
    payType: spec.order.payType,
    providerOrderIdKnown: spec.providerOrderIdKnown,
  });
  describe(`${spec.descriptor.id}: the shared provider contract`, () => {
    describeQueryCases(spec, px);
    describeCancelCases(spec, px);
    describeRefundCases(spec, px);
    describeWriteFaultCases(spec, px);
    describeMistakeCases(spec, px);
    describeNotificationCases(spec, px);
  });
  return px;
}
