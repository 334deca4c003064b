/**
 * What a chaos run does to the system while the cancellations run: provider faults fed to the
 * sandbox, a worker process killed with SIGKILL every few seconds and started again, and the
 * Temporal server killed with SIGKILL once and started again. `stop()` ends all of it.
 */
import type { FaultFeeder, FaultFigures } from './fault-feeder.js';
import type { Random } from './random.js';
import { sleep } from './runs.js';
import type { ChaosTemporalServer } from './temporal-server.js';
import type { WorkerProcess } from './worker-process.js';

export interface DisruptionParts {
  feeder: FaultFeeder;
  workers: WorkerProcess[];
  server: ChaosTemporalServer;
  random: Random;
  log: (line: string) => void;
  /** Called once a killed worker is ready again (with --rollouts: its new build is made current). */
  onRestarted?: (worker: WorkerProcess) => Promise<unknown>;
}

export class Disruptions {
  /** The server was killed and is serving again. */
  serverRestarted = false;
  private on = true;
  private stopped: () => void = () => undefined;
  private readonly whenStopped = new Promise<void>((resolve) => (this.stopped = resolve));
  private readonly loops: Promise<void>[] = [];
  private readonly restarts: Promise<void>[] = [];
  private readonly killRandom: Random;
  private readonly serverRandom: Random;

  constructor(private readonly parts: DisruptionParts) {
    this.killRandom = parts.random.fork('kills');
    this.serverRandom = parts.random.fork('server');
  }

  get active(): boolean {
    return this.on;
  }

  /** Faults and worker kills start now. */
  start(): void {
    this.track(this.loops, this.feedFaults());
    this.track(this.loops, this.killWorkers());
  }

  /** Once `after` resolves (mid-run), a few seconds later: kill -9 the server and start it again; not once stopped. */
  crashServerOnce(after: Promise<unknown>): void {
    this.track(
      this.loops,
      Promise.race([after, this.whenStopped]).then(async () => {
        await this.pause(this.serverRandom.int(2_000, 6_000));
        if (!this.on) return;
        this.parts.log('kill -9 the Temporal server');
        await this.parts.server.crashAndRestart(this.serverRandom.int(1_000, 3_000));
        this.serverRestarted = true;
        this.parts.log('Temporal server restarted on the same port and database');
      }),
    );
  }

  /** End every disruption: wait for the server restart and the workers' restarts, clear queued faults. */
  async stop(): Promise<FaultFigures> {
    this.on = false;
    this.stopped();
    await Promise.all([...this.loops, ...this.restarts]);
    const figures = await this.parts.feeder.stop();
    await Promise.all(this.parts.workers.map((w) => w.ensureRunning()));
    return figures;
  }

  private async feedFaults(): Promise<void> {
    while (this.on) {
      // A tick that fails while the sandbox is busy is simply the next tick's work.
      await this.parts.feeder.tick().catch(() => undefined);
      await sleep(250);
    }
  }

  /**
   * Every few seconds one ready worker is killed and a new one started in its place. With more than
   * one, a worker is killed only while another is ready, so the runs go on between kills even where
   * a start takes longer than the pause (webpack bundles the workflows at every start).
   */
  private async killWorkers(): Promise<void> {
    const { workers } = this.parts;
    while (this.on) {
      await this.pause(this.killRandom.int(2_000, 6_000));
      const ready = workers.filter((w) => w.ready);
      if (!this.on || ready.length === 0 || (workers.length > 1 && ready.length < 2)) continue;
      const victim = this.killRandom.pick(ready);
      await victim.kill();
      const { onRestarted } = this.parts;
      this.track(
        this.restarts,
        victim.ensureRunning().then(async () => {
          await onRestarted?.(victim);
        }),
      );
    }
  }

  /** Keep a promise for stop() to await; its failure surfaces there, not as an unhandled rejection now. */
  private track(list: Promise<void>[], promise: Promise<void>): void {
    promise.catch(() => undefined);
    list.push(promise);
  }

  private async pause(ms: number): Promise<void> {
    for (const until = Date.now() + ms; this.on && Date.now() < until;) await sleep(Math.min(200, until - Date.now()));
  }
}
