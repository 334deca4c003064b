/**
 * Typed search attributes every cancellation run carries, so operators can filter runs in the
 * Temporal UI and `rescind list`. The dev-server launcher registers exactly this list.
 */
// From @temporalio/common (workflow-safe) because Node's ESM loader cannot see these names in the
// CommonJS @temporalio/workflow build, and this file is also loaded outside workflows (launcher, client).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProviderKey = defineSearchAttributeKey('RescindProvider', SearchAttributeType.KEYWORD);
export const MerchantKey = defineSearchAttributeKey('RescindMerchant', SearchAttributeType.KEYWORD);
export const OrderKey = defineSearchAttributeKey('RescindOrder', SearchAttributeType.KEYWORD);
export const StageKey = defineSearchAttributeKey('RescindStage', SearchAttributeType.KEYWORD);
export const OutcomeKey = defineSearchAttributeKey('RescindOutcome', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [ProviderKey, MerchantKey, OrderKey, StageKey, OutcomeKey];
