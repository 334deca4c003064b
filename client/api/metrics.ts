/**
 * GET /metrics on the API: this process's Rescind metrics (platform/metrics/registry.ts),
 * rescind_reviews_open, counted from Temporal visibility when scraped (it lags the runs by a moment),
 * and the task queues' backlog (./queue-metrics.ts).
 * Like /v1 it asks for a bearer token when tokens are configured: counts by provider say how much
 * business flows through.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { CANCEL_ORDER_WORKFLOW, PROVIDER_IDS, type ProviderId } from '../../domain/index.js';
import { metricsRegistry } from '../../platform/metrics/registry.js';
import { ProviderKey, StageKey } from '../../workflows/search-attributes.js';
import { bearerAllowed } from './auth.js';
import { registerQueueGauges } from './queue-metrics.js';

export const METRICS_PATH = '/metrics';

/** Cancellations of one provider waiting for an operator now (a run terminated in review no longer counts). */
export const openReviewsQuery = (provider: ProviderId): string =>
  `WorkflowType = '${CANCEL_ORDER_WORKFLOW}' AND ExecutionStatus = 'Running' AND ${StageKey.name} = 'needs_review' AND ${ProviderKey.name} = '${provider}'`;

/** This API's registry: the process's metrics plus what its client can count: open reviews, the queues' backlog. */
export function apiMetricsRegistry(
  client: Client,
  taskQueue: string,
  onCountFailed: (err: Error, what: string) => void,
): Registry {
  const own = new Registry();
  new Gauge({
    name: 'rescind_reviews_open',
    help: 'Cancellations waiting in needs_review for an operator, by provider (a visibility count at scrape time)',
    labelNames: ['provider'] as const,
    registers: [own],
    async collect() {
      try {
        const counts = await Promise.all(
          PROVIDER_IDS.map(
            async (provider) => [provider, (await client.workflow.count(openReviewsQuery(provider))).count] as const,
          ),
        );
        for (const [provider, count] of counts) this.set({ provider }, count);
      } catch (err) {
        // No figure rather than a stale one: the series is absent until Temporal answers again.
        this.reset();
        onCountFailed(err as Error, 'rescind_reviews_open: Temporal visibility could not be counted');
      }
    },
  });
  registerQueueGauges(own, client, taskQueue, (err) =>
    onCountFailed(err, 'rescind_queue_*: the task queues could not be described'),
  );
  return Registry.merge([metricsRegistry, own]);
}

export function registerMetricsRoute(
  app: FastifyInstance,
  deps: { client: Client; taskQueue: string; authRequired: boolean; tokens: readonly string[] },
): void {
  const registry = apiMetricsRegistry(deps.client, deps.taskQueue, (err, what) =>
    app.log.warn({ err: err.message }, what),
  );
  app.get(METRICS_PATH, async (req, reply) => {
    if (deps.authRequired && !bearerAllowed(req.headers.authorization, deps.tokens))
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' });
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}
