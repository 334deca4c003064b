/**
 * The task queues' backlog as gauges on the API's /metrics (what `rescind backlog` prints), asked of
 * Temporal once per scrape: the worker's own metrics cannot tell a queue nobody polls, since no
 * worker is there to count it.
 */
import type { Client } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';
import { describeBacklogs, type QueueBacklog } from '../library/backlog.js';

/** Scrapes read every gauge within a moment: one DescribeTaskQueue round per scrape. */
const FRESH_FOR_MS = 1_000;

export function registerQueueGauges(
  registry: Registry,
  client: Client,
  taskQueue: string,
  onFailed: (err: Error) => void,
): void {
  let last: { at: number; queues: Promise<QueueBacklog[] | undefined> } | undefined;
  const backlogs = (): Promise<QueueBacklog[] | undefined> => {
    if (last && Date.now() - last.at < FRESH_FOR_MS) return last.queues;
    const queues = describeBacklogs(client, taskQueue).catch((err: Error) => {
      onFailed(err);
      return undefined;
    });
    last = { at: Date.now(), queues };
    return queues;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, q: QueueBacklog) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const queues = await backlogs();
        // No figure rather than a stale one: the series are absent until Temporal answers again.
        this.reset();
        for (const queue of queues ?? []) fill(this, queue);
      },
    });

  gauge(
    'rescind_queue_tasks_waiting',
    'Tasks no worker has taken yet, by queue (workflows, or a provider: its calls) and class (live, reconciliation, other)',
    ['queue', 'class'],
    (g, q) => {
      for (const [cls, n] of Object.entries(q.waitingByClass)) g.set({ queue: q.queue, class: cls }, n);
    },
  );
  gauge(
    'rescind_queue_oldest_task_seconds',
    'Age of the oldest task waiting on the queue (0 when none waits)',
    ['queue'],
    (g, q) => g.set({ queue: q.queue }, q.oldestSeconds),
  );
  gauge(
    'rescind_queue_tasks_sent_per_second',
    "Tasks workers took from the queue per second, over the server's last minute or so",
    ['queue'],
    (g, q) => g.set({ queue: q.queue }, q.sentPerSecond),
  );
  gauge(
    'rescind_queue_rate_limit_per_second',
    "The dispatch limit in force on the queue (a provider's *_MAX_RPS); absent when none is",
    ['queue'],
    (g, q) => {
      if (q.rateLimitPerSecond !== undefined) g.set({ queue: q.queue }, q.rateLimitPerSecond);
    },
  );
  gauge(
    'rescind_queue_paused',
    'Whether an operator has the queue paused (rescind pause): 1 while nothing is sent, else 0',
    ['queue'],
    (g, q) => g.set({ queue: q.queue }, q.pause ? 1 : 0),
  );
  gauge(
    'rescind_queue_workers',
    'Worker processes that polled the queue in the last two minutes and are handed its tasks (of the current build, when versioned)',
    ['queue'],
    (g, q) => g.set({ queue: q.queue }, q.workers),
  );
  gauge(
    'rescind_queue_other_build_workers',
    'Versioned worker processes polling the queue that are handed none of its tasks: their build is not current (rescind deployment)',
    ['queue'],
    (g, q) => g.set({ queue: q.queue }, q.otherBuildWorkers ?? 0),
  );
}
