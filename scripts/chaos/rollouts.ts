/**
 * `npm run chaos -- --rollouts`: every worker process starts as a new build of Rescind's Worker
 * Deployment (worker/versioning.ts), and once it is ready its build is made current, as a rolling
 * deploy would, so the runs move from build to build under the kills, the faults and the server
 * crash. The older builds' workers left running take nothing until they are killed and come back
 * as the newest build.
 *
 * Every third build after the first ones is flawed, as a deploy with one secret missing would be:
 * started without one provider's configuration (each provider in turn), its workers poll every
 * queue but that provider's.
 * Such a build must never be made current (client/library/deployment-queues.ts refuses it); the
 * runs wait for the next sound build instead.
 */
import type { Client } from '@temporalio/client';
import { DeploymentChangeRefused, setCurrentBuild } from '../../client/library/deployment.js';
import { PROVIDER_IDS, type ProviderId } from '../../domain/index.js';
import { sleep } from './runs.js';

/** Long enough for a new worker's first polls to reach a server that is starting again after its crash. */
const PROMOTE_WITHIN_MS = 90_000;

const buildNumber = (id: string): number => Number(id.replace(/\D/g, ''));

/** Of the restarts, the second and every third after it (5th, 8th, …) are flawed builds. */
const FLAWED_EVERY = 3;

/** The provider a flawed build was started without, from its id (`chaos-b8-no-qfpay`). */
const missingProvider = (buildId: string): ProviderId | undefined =>
  PROVIDER_IDS.find((p) => buildId.endsWith(`-no-${p}`));

export class Rollouts {
  /** Builds made current. */
  promoted = 0;
  /** Flawed builds the queue check refused for the queue they lack, as it must; any made current, which must not be; and those that never got as far as the check. */
  flawedRefused = 0;
  flawedMadeCurrent: string[] = [];
  flawedUnchecked = 0;
  private built = 0;
  private newest?: string;
  private lock: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly deployment: string,
    /** Rescind's task queue: a build is made current only once its workers polled every queue. */
    private readonly taskQueue: string,
    private readonly log: (line: string) => void,
    /** The first starts (one per worker process) are never flawed: some build must become current. */
    private readonly firstBuilds: number,
  ) {}

  /** A build started without one provider's configuration (nextBuild made it so). */
  static isFlawed(buildId: string): boolean {
    return missingProvider(buildId) !== undefined;
  }

  /** Every change is checked against Rescind's queues, as `rescind deployment set-current` checks it. */
  private get change() {
    return { operator: 'chaos', taskQueue: this.taskQueue };
  }

  /** Make the newest of `buildIds` current (the builds of the ready workers). */
  async promoteNewest(buildIds: string[]): Promise<void> {
    const newest = [...buildIds].sort((a, b) => buildNumber(a) - buildNumber(b)).at(-1);
    if (newest) await this.promote(newest);
  }

  /** The environment of the next worker start: `env` as a new build, or a flawed one without one provider's variables. */
  nextBuild(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    this.built += 1;
    const flawed =
      this.built > this.firstBuilds && (this.built - this.firstBuilds) % FLAWED_EVERY === 2
        ? PROVIDER_IDS[Math.floor((this.built - this.firstBuilds) / FLAWED_EVERY) % PROVIDER_IDS.length]
        : undefined;
    if (!flawed) return { ...env, RESCIND_WORKER_BUILD_ID: `chaos-b${this.built}` };
    const prefix = `${flawed.toUpperCase()}_`;
    return {
      ...Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith(prefix))),
      RESCIND_WORKER_BUILD_ID: `chaos-b${this.built}-no-${flawed}`,
    };
  }

  /**
   * Make `buildId` current unless a newer build already is, trying again while the server refuses
   * (its workers' polls not seen yet) or is down. False when it never took.
   */
  async promote(buildId: string): Promise<boolean> {
    if (missingProvider(buildId)) return this.offerFlawed(buildId);
    const began = Date.now();
    let refused: string | undefined;
    while (Date.now() - began < PROMOTE_WITHIN_MS) {
      const result = await this.oneAtATime(async () => {
        // Checked under the lock: a newer build made current meanwhile must not be replaced by this one.
        if (this.newest && buildNumber(this.newest) >= buildNumber(buildId)) return 'superseded';
        const { previous } = await setCurrentBuild(this.client, this.deployment, buildId, this.change);
        this.newest = buildId;
        this.promoted += 1;
        const waited = refused ? `, after ${Math.round((Date.now() - began) / 1000)} s of "${refused}"` : '';
        this.log(`build ${buildId} is current (before: ${previous ?? 'none'}${waited})`);
        return 'current';
      }).catch((err: unknown) => {
        refused ??= (err as Error).message.slice(0, 160);
        return undefined;
      });
      if (result) return true;
      await sleep(1_000);
    }
    this.log(`build ${buildId} could not be made current within ${PROMOTE_WITHIN_MS / 1000} s: ${refused}`);
    return false;
  }

  /**
   * Try to make a flawed build current until the queue check refuses it for the queue it lacks, or
   * for as long as a sound build is tried. It must never take.
   */
  private async offerFlawed(buildId: string): Promise<boolean> {
    const lacking = missingProvider(buildId)!;
    const began = Date.now();
    let refused = '';
    let forTheQueue = false;
    while (Date.now() - began < PROMOTE_WITHIN_MS) {
      const took = await this.oneAtATime(() =>
        setCurrentBuild(this.client, this.deployment, buildId, this.change),
      ).then(
        () => true,
        (err: unknown) => {
          refused = (err as Error).message;
          forTheQueue = err instanceof DeploymentChangeRefused && err.missingQueues.includes(lacking);
          return false;
        },
      );
      if (took) {
        this.flawedMadeCurrent.push(buildId);
        this.log(`build ${buildId}, without ${lacking}'s configuration, was made current: it must not be`);
        return true;
      }
      if (forTheQueue) {
        this.flawedRefused += 1;
        this.log(`build ${buildId} refused, as it must be: "${refused.slice(0, 160)}"`);
        return false;
      }
      // Not joined yet, or the server is down or throttling: the check has not been reached.
      await sleep(2_000);
    }
    this.flawedUnchecked += 1;
    this.log(
      `build ${buildId} never reached the queue check in ${PROMOTE_WITHIN_MS / 1000} s: "${refused.slice(0, 160)}"`,
    );
    return false;
  }

  /** Runs `work` after every earlier call has ended, so two promotions never cross. */
  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
