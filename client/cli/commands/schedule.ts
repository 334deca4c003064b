/** `rescind schedule create|pause|unpause|trigger|delete|describe`: the Temporal Schedule that runs reconciliation. */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { Option, type Command } from 'commander';
import type { ClientConfig } from '../../config.js';
import { minAgeMs, RECONCILE_RANGES } from '../../duration.js';
import {
  createReconcileSchedule,
  deleteReconcileSchedule,
  describeReconcileSchedule,
  pauseReconcileSchedule,
  RECONCILE_SCHEDULE_ID,
  triggerReconcileSchedule,
  unpauseReconcileSchedule,
} from '../../reconcile.js';
import { RequestError } from '../../request.js';
import { durationOption, EXIT, print, wholeNumberOption, withClient, type Output } from '../shared.js';

interface ScheduleOptions extends Output {
  every: number;
  minAge?: number;
  batchSize: number;
  concurrency: number;
}

const ACTIONS = ['create', 'pause', 'unpause', 'trigger', 'delete', 'describe'];

export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule <action>')
    .description(`manage the reconciliation schedule (${RECONCILE_SCHEDULE_ID}): ${ACTIONS.join(' | ')}`)
    .addOption(
      new Option('--every <duration>', 'with create: how often, 1m–30d (e.g. 5m)')
        .argParser(durationOption('--every', RECONCILE_RANGES.every))
        .default(300_000, '5m'),
    )
    .option(
      '--min-age <duration>',
      'with create: only orders older than this, 1m–365d (default: RESCIND_RECONCILE_MIN_AGE, 15m)',
      durationOption('--min-age', RECONCILE_RANGES.minAge),
    )
    .option(
      '--batch-size <n>',
      'with create: orders per batch (1–1000)',
      wholeNumberOption('--batch-size', RECONCILE_RANGES.batchSize),
      50,
    )
    .option(
      '--concurrency <n>',
      'with create: cancellations followed at once (1–100)',
      wholeNumberOption('--concurrency', RECONCILE_RANGES.concurrency),
      5,
    )
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\ncreate replaces an existing schedule; a run is skipped while the previous one is still going.\n' +
        'trigger runs the scheduled reconciliation once now; pause/unpause keep the schedule.',
    )
    .action(async (action: string, o: ScheduleOptions) =>
      withClient(async (client, config) => {
        try {
          return await scheduleAction(action, o, client, config);
        } catch (err) {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
          console.error(
            `error: there is no ${RECONCILE_SCHEDULE_ID} schedule on this namespace; create it with: rescind schedule create`,
          );
          return EXIT.failure;
        }
      }),
    );
}

async function scheduleAction(
  action: string,
  o: ScheduleOptions,
  client: Client,
  config: ClientConfig,
): Promise<number> {
  switch (action) {
    case 'create':
      await createReconcileSchedule(client, config, {
        everyMs: o.every,
        input: {
          minAgeMs: minAgeMs(o.minAge, config.reconcile.minAge),
          batchSize: o.batchSize,
          concurrency: o.concurrency,
        },
      });
      break;
    case 'pause':
      await pauseReconcileSchedule(client);
      break;
    case 'unpause':
      await unpauseReconcileSchedule(client);
      break;
    case 'trigger':
      await triggerReconcileSchedule(client);
      break;
    case 'delete':
      await deleteReconcileSchedule(client);
      print(o, { deleted: RECONCILE_SCHEDULE_ID }, () => `deleted ${RECONCILE_SCHEDULE_ID}`);
      return EXIT.ok;
    case 'describe':
      break;
    default:
      throw new RequestError([{ field: 'action', message: `"${action}" is not one of ${ACTIONS.join(', ')}` }]);
  }
  const d = await describeReconcileSchedule(client);
  const summary = {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note,
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.length,
  };
  print(
    o,
    summary,
    () =>
      `${summary.scheduleId}: ${summary.paused ? 'paused' : 'active'}; next runs ${summary.nextRuns.join(', ') || 'none'}`,
  );
  return EXIT.ok;
}
