/** `rescind deployment`: the builds of Rescind's Worker Deployment, and making one current (client/library/deployment.ts). */
import type { Command } from 'commander';
import {
  defaultDeploymentName,
  describeDeployment,
  setCurrentBuild,
  setCurrentUnversioned,
  setRampingBuild,
  stopRamping,
  type ChangeOptions,
  type DeploymentView,
} from '../../library/deployment.js';
import { withBuildQueues } from '../../library/deployment-queues.js';
import { RequestError } from '../../request.js';
import { EXIT, print, withConfig } from '../shared.js';

const HELP = `
Workers join a deployment when started with RESCIND_WORKER_BUILD_ID (and RESCIND_WORKER_DEPLOYMENT,
default: the task queue). Temporal hands tasks only to the current build's workers; with no current
build, to workers that joined no deployment. Open runs go on with the current build's code on their
next task.

A rollout:
  1. start the new build's workers beside the old ones: RESCIND_WORKER_BUILD_ID=<new> rescind worker
     (they take nothing yet: "inactive" below)
  2. from the new build's checkout: rescind replay   (every open run replays with its code)
  3. rescind deployment set-current <new>            (the old build's workers take nothing more)
  4. stop the old build's workers; to roll back first: rescind deployment set-current <old>
     (or, back to workers started without a build id: rescind deployment set-current --unversioned)
Or canary it between 2 and 3: rescind deployment ramp <new> 10 hands a tenth of the runs (chosen
by workflow id, open ones too) to the new build; rescind deployment ramp --stop gives them back.

A build is refused (current or ramping) when none of its workers polled, or when they never polled
one of Rescind's queues in use now (polled by any worker, or with tasks waiting) or that the
current build polled: a build started without one provider's credentials would leave that
provider's calls with no worker. Temporal's own check skips a queue with no recent tasks, so
Rescind checks every queue itself; --allow-missing-queues skips that check for a provider Rescind
no longer calls. In the same way, set-current --unversioned is refused while no worker of no
deployment polls those queues.

Exit codes:
  0  done (show: the deployment exists)
  1  Temporal refused the change (the message says why), or could not be asked; show: no worker has
     joined the deployment yet
  2  bad input or configuration`;

/** The options every change to the deployment takes (ChangeFlags). */
const withChangeOptions = (command: Command): Command =>
  command
    .option(
      '--allow-missing-queues',
      'switch even though the new takers do not poll a queue in use now (a provider Rescind no longer calls)',
    )
    .option('--deployment <name>', 'the deployment (default: RESCIND_WORKER_DEPLOYMENT, else the task queue)')
    .option('--operator <name>', 'who makes the change, recorded by Temporal', process.env.USER)
    .option('--json', 'print the result as JSON on stdout');

/** The flags of a change to the deployment. */
interface ChangeFlags {
  deployment?: string;
  operator?: string;
  json?: boolean;
  allowMissingQueues?: boolean;
}

const changeOptions = (taskQueue: string, o: ChangeFlags): ChangeOptions => ({
  operator: o.operator,
  taskQueue,
  allowMissingQueues: o.allowMissingQueues,
});

const deploymentOption = (taskQueue: string, given?: string): string =>
  given ?? process.env.RESCIND_WORKER_DEPLOYMENT ?? defaultDeploymentName(taskQueue);

export function registerDeploymentCommand(program: Command): void {
  const deployment = program
    .command('deployment')
    .description("the builds of Rescind's Worker Deployment and which one takes the work; set-current switches")
    .addHelpText('after', HELP);

  deployment
    .command('show', { isDefault: true })
    .description('the current build, a ramping one, and every build whose workers joined')
    .option('--deployment <name>', 'the deployment (default: RESCIND_WORKER_DEPLOYMENT, else the task queue)')
    .option('--json', 'print it as JSON on stdout')
    .action(async (o: { deployment?: string; json?: boolean }) =>
      withConfig(async (config, connect) => {
        const name = deploymentOption(config.taskQueue, o.deployment);
        const client = await connect();
        const found = await describeDeployment(client, name);
        if (!found) {
          console.error(
            `no worker has joined deployment ${name}: workers started without RESCIND_WORKER_BUILD_ID take any task of their queues`,
          );
          return EXIT.failure;
        }
        const view = await withBuildQueues(client, found, config.taskQueue);
        print(o, view, () => describe(view));
        return EXIT.ok;
      }),
    );

  const setCurrent = deployment
    .command('set-current')
    .argument('[build-id]', 'the build whose workers take every task from now on')
    .description("hand every task to this build's workers (and none to the others'); open runs go on with its code")
    .option('--unversioned', 'make no build current: workers of no deployment take the tasks again');
  withChangeOptions(setCurrent).action(
    async (buildId: string | undefined, o: ChangeFlags & { unversioned?: boolean }) =>
      withConfig(async (config, connect) => {
        const name = deploymentOption(config.taskQueue, o.deployment);
        if (Boolean(o.unversioned) === (buildId !== undefined))
          throw new RequestError([{ field: 'build-id', message: 'give a build id, or --unversioned (not both)' }]);
        const client = await connect();
        const { previous } = o.unversioned
          ? await setCurrentUnversioned(client, name, changeOptions(config.taskQueue, o))
          : await setCurrentBuild(client, name, buildId!, changeOptions(config.taskQueue, o));
        const now = o.unversioned
          ? 'no build is current: workers of no deployment take the tasks'
          : `build ${buildId} is current`;
        print(
          o,
          { deployment: name, current: o.unversioned ? null : buildId, previous: previous ?? null },
          () =>
            `${name}: ${now} (before: ${previous ?? 'none, workers of no deployment'}); stop the old build's workers once rescind deployment shows it drained`,
        );
        return EXIT.ok;
      }),
  );

  registerRamp(deployment);
}

/** `ramp <build-id> <percent>` or `ramp --stop`. */
function registerRamp(deployment: Command): void {
  const ramp = deployment
    .command('ramp')
    .argument('[build-id]', 'the build to hand a share of the runs to')
    .argument('[percent]', 'the share, above 0 and at most 100')
    .description('a canary: hand a share of the runs to a build while the current one keeps the rest')
    .option('--stop', 'end the ramp: the current build takes every run again');
  withChangeOptions(ramp).action(
    async (buildId: string | undefined, percent: string | undefined, o: ChangeFlags & { stop?: boolean }) =>
      withConfig(async (config, connect) => {
        const name = deploymentOption(config.taskQueue, o.deployment);
        if (o.stop) {
          if (buildId !== undefined)
            throw new RequestError([{ field: 'build-id', message: '--stop takes no build id and no share' }]);
          const { previous } = await stopRamping(await connect(), name, o.operator);
          print(o, { deployment: name, ramping: null, previous: previous ?? null }, () =>
            previous
              ? `${name}: build ${previous} no longer ramps; the current build takes every run`
              : `${name}: nothing was ramping`,
          );
          return EXIT.ok;
        }
        if (buildId === undefined || percent === undefined)
          throw new RequestError([
            { field: 'build-id', message: 'give a build and a share (ramp <build-id> <percent>), or --stop' },
          ]);
        const share = Number(percent);
        await setRampingBuild(await connect(), name, buildId, share, changeOptions(config.taskQueue, o));
        print(
          o,
          { deployment: name, ramping: { buildId, percentage: share } },
          () => `${name}: build ${buildId} takes ${share}% of the runs; the current build the rest`,
        );
        return EXIT.ok;
      }),
  );
}

function describe(view: DeploymentView): string {
  const lines = [
    `deployment ${view.name}: current build ${view.current ?? 'none (workers of no deployment take the tasks)'}`,
  ];
  if (view.ramping) lines.push(`ramping: build ${view.ramping.buildId} at ${view.ramping.percentage}%`);
  for (const b of view.builds)
    lines.push(
      [
        `  ${b.buildId.padEnd(24)} ${b.status.padEnd(9)}`,
        b.createdAt ? `since ${b.createdAt}` : '',
        b.queues ? `polls ${b.queues.length > 0 ? b.queues.join(', ') : 'none of these queues'}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  return lines.join('\n');
}
