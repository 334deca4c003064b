/** `rescind backlog`: what waits on Rescind's task queues, and whether it is moving (client/library/backlog.ts). */
import type { Command } from 'commander';
import { describeBacklogs, type QueueBacklog } from '../../library.js';
import { span } from '../../format.js';
import { EXIT, print, withConfig } from '../shared.js';

const HELP = `
Columns:
  waiting            tasks no worker has taken yet: provider calls on a provider's queue, workflow tasks on "workflows"
  live / recon.      of those, for live cancellations and for reconciliation's (priority 2 and 4); other: neither
  oldest             how long the oldest has waited
  sent/s, added/s    tasks taken and added per second, over the server's last minute or so
  limit/s            the dispatch limit in force (the workers' *_MAX_RPS); "-": none
  workers            worker processes that polled the queue in the last two minutes and are handed its
                     tasks (with versioned workers: those of the current build, see rescind deployment)
  state              idle; draining (with the time left at these rates); holding (sent about as fast as added:
                     a backlog of cancellations holds level while each call sent adds its run's next one);
                     growing (added faster than sent); stalled (workers poll but took nothing lately);
                     unserved (no worker polls: start one); paused (by an operator: rescind resume <provider>)
The counts are Temporal's approximations, refreshed every few seconds.

Exit codes:
  0  no queue is unserved
  1  tasks wait on a queue no worker polls (or Temporal could not be asked)
  2  bad configuration

Example:
  rescind backlog --json`;

export function registerBacklogCommand(program: Command): void {
  program
    .command('backlog')
    .description("what waits on Rescind's task queues (workflow tasks, each provider's calls) and whether it moves")
    .option('--json', 'print every queue as JSON on stdout')
    .addHelpText('after', HELP)
    .action(async (o: { json?: boolean }) =>
      withConfig(async (config, connect) => {
        const queues = await describeBacklogs(await connect(), config.taskQueue);
        print(o, queues, () => table(queues));
        return queues.some((q) => q.state === 'unserved') ? EXIT.failure : EXIT.ok;
      }),
    );
}

const COLUMNS = [
  'queue',
  'waiting',
  'live',
  'recon.',
  'other',
  'oldest',
  'sent/s',
  'added/s',
  'limit/s',
  'workers',
  'state',
] as const;

function table(queues: QueueBacklog[]): string {
  const rows = queues.map((q) => [
    q.queue,
    q.waiting.toLocaleString('en'),
    q.waitingByClass.live.toLocaleString('en'),
    q.waitingByClass.reconciliation.toLocaleString('en'),
    q.waitingByClass.other.toLocaleString('en'),
    q.waiting === 0 ? '-' : span(q.oldestSeconds),
    q.sentPerSecond.toFixed(2),
    q.addedPerSecond.toFixed(2),
    q.rateLimitPerSecond === undefined ? '-' : q.rateLimitPerSecond.toFixed(2),
    String(q.workers),
    stateText(q),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  // Text columns to the left, figures to the right; the last column is not padded.
  const cell = (value: string, i: number) =>
    i === COLUMNS.length - 1 ? value : i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!);
  return [COLUMNS.map(cell).join('  '), ...rows.map((r) => r.map(cell).join('  '))].join('\n');
}

function stateText(q: QueueBacklog): string {
  const text = stateWords(q);
  // Workers of a build that is not current poll but take nothing: a rollout under way, or an old build left running.
  return q.otherBuildWorkers && q.state !== 'unserved'
    ? `${text}; ${q.otherBuildWorkers} more of builds not current (rescind deployment)`
    : text;
}

function stateWords(q: QueueBacklog): string {
  if (q.state === 'draining') return `draining, about ${span(q.drainsInSeconds!)} left`;
  if (q.state === 'unserved' && q.otherBuildWorkers)
    return `unserved: ${q.currentBuild ? `no worker of the current build ${q.currentBuild} polls` : 'no build is current and no unversioned worker polls'}; ${q.otherBuildWorkers} of other builds do (rescind deployment)`;
  if (q.state === 'unserved') return 'unserved: no worker polls this queue';
  if (q.pause) return `paused by ${q.pause.by} at ${q.pause.since.slice(0, 19).replace('T', ' ')}: ${q.pause.reason}`;
  return q.state;
}
