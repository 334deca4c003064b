/**
 * `npm run chaos -- --rollouts`: every worker process starts as a new build of Rescind's Worker
 * Deployment (worker/versioning.ts), and once it is ready its build is made current, as a rolling
 * deploy would, so the runs move from build to build under the kills, the faults and the server
 * crash. The older builds' workers left running take nothing until they are killed and come back
 * as the newest build.
 */
import type { Client } from '@temporalio/client';
import { setCurrentBuild } from '../../client/library/deployment.js';
import { sleep } from './runs.js';

/** Long enough for a new worker's first polls to reach a server that is starting again after its crash. */
const PROMOTE_WITHIN_MS = 90_000;

const buildNumber = (id: string): number => Number(id.replace(/\D/g, ''));

export class Rollouts {
  /** Builds made current. */
  promoted = 0;
  private built = 0;
  private newest?: string;
  private lock: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Client,
    private readonly deployment: string,
    /** Rescind's task queue: a build is made current only once its workers polled every queue. */
    private readonly taskQueue: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Make the newest of `buildIds` current (the builds of the ready workers). */
  async promoteNewest(buildIds: string[]): Promise<void> {
    const newest = [...buildIds].sort((a, b) => buildNumber(a) - buildNumber(b)).at(-1);
    if (newest) await this.promote(newest);
  }

  /** The build id the next worker start runs as. */
  nextBuild(): string {
    this.built += 1;
    return `chaos-b${this.built}`;
  }

  /**
   * Make `buildId` current unless a newer build already is, trying again while the server refuses
   * (its workers' polls not seen yet) or is down. False when it never took.
   */
  async promote(buildId: string): Promise<boolean> {
    const began = Date.now();
    let refused: string | undefined;
    while (Date.now() - began < PROMOTE_WITHIN_MS) {
      const result = await this.oneAtATime(async () => {
        // Checked under the lock: a newer build made current meanwhile must not be replaced by this one.
        if (this.newest && buildNumber(this.newest) >= buildNumber(buildId)) return 'superseded';
        const { previous } = await setCurrentBuild(this.client, this.deployment, buildId, {
          operator: 'chaos',
          taskQueue: this.taskQueue,
        });
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
