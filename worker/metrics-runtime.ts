/**
 * The Temporal runtime of a process that runs workers, installed once and before any connection.
 * With RESCIND_METRICS_ADDRESS set, the SDK's Prometheus exporter runs on a loopback port of its own
 * and the address serves GET /metrics: the SDK's worker metrics (temporal_*) and Rescind's
 * (rescind_*) in one scrape (platform/metrics/endpoint.ts).
 */
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { MetricsAddress } from '../platform/metrics/address.js';
import { freeLoopbackAddress, startMetricsEndpoint, type MetricsEndpoint } from '../platform/metrics/endpoint.js';
import { metricsRegistry } from '../platform/metrics/registry.js';

export async function installWorkerRuntime(
  options: Omit<RuntimeOptions, 'telemetryOptions'>,
  metrics: MetricsAddress | undefined,
): Promise<MetricsEndpoint | undefined> {
  if (!metrics) {
    Runtime.install(options);
    return undefined;
  }
  const sdkAddress = await freeLoopbackAddress();
  Runtime.install({ ...options, telemetryOptions: { metrics: { prometheus: { bindAddress: sdkAddress } } } });
  try {
    return await startMetricsEndpoint({
      address: metrics,
      registry: metricsRegistry,
      sdkMetricsUrl: `http://${sdkAddress}/metrics`,
    });
  } catch (err) {
    throw new Error(
      `RESCIND_METRICS_ADDRESS: cannot serve metrics on ${metrics.host}:${metrics.port} (${(err as Error).message})`,
    );
  }
}
