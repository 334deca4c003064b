/** Every series name Rescind's own metrics serve, for the tests of what reads them (ops/). */
import type { Client } from '@temporalio/client';
import { apiMetricsRegistry } from '../../client/api/metrics.js';

/** Listing metrics runs no collection, so no Temporal is needed. Histograms with their _bucket, _count and _sum. */
export function exportedRescindNames(): Set<string> {
  const registry = apiMetricsRegistry({} as Client, 'rescind', () => undefined);
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
  }
  return names;
}
