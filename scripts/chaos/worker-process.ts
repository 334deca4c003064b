/**
 * Rescind's worker as a separate process (`node bin/rescind.js worker`), so it can be killed with
 * SIGKILL mid-activity and started again, the way a crashed or evicted container would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/** What `rescind worker` prints once its workers are created (worker/main.ts). */
const READY = '[rescind] worker on ';
const READY_WITHIN_MS = 180_000;

export class WorkerProcess {
  /** SIGKILLs sent to this worker. */
  kills = 0;
  /** Times a worker became ready. */
  starts = 0;
  /** Starts that ended before the worker was ready (e.g. while the Temporal server was down), then tried again. */
  failedStarts = 0;
  /** Ready workers that exited without being killed. */
  crashes = 0;
  private child?: ChildProcess;
  private isReady = false;
  private starting?: Promise<void>;
  private readonly log: WriteStream;

  /** The build this worker last started as (RESCIND_WORKER_BUILD_ID), when it has one. */
  buildId?: string;

  /** `env` is read at every start: a function gives each start its own (a new build, with --rollouts). */
  constructor(
    private readonly options: { cwd: string; env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv); logFile: string },
  ) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** Polling Temporal: it printed its ready line and has not exited since. */
  get ready(): boolean {
    return this.isReady && this.alive;
  }

  private get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start a worker unless one is up or starting; resolves once it is ready. A start that fails is tried again. */
  ensureRunning(): Promise<void> {
    if (this.ready) return Promise.resolve();
    this.starting ??= this.startWithRetries().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Replacements: a worker stopped to start a fixed build in its place (not a chaos kill). */
  replacements = 0;

  /** kill -9, and wait until it is gone. */
  async kill(): Promise<void> {
    if (await this.stopNow()) this.kills += 1;
  }

  /** Stop it and start it again (its env gives the new start a new build): an operator's redeploy. */
  async replace(): Promise<void> {
    this.replacements += 1;
    await this.stopNow();
    await this.ensureRunning();
  }

  /** SIGKILL, and wait until it is gone; false when it was not running. */
  private async stopNow(): Promise<boolean> {
    const child = this.child;
    if (!child || !this.alive) return false;
    // 'close' (not 'exit'): its output is flushed to the log before the log may be ended.
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGKILL');
    await closed;
    return true;
  }

  /** Kill at once without waiting (process exit path). */
  killNow(): void {
    if (this.alive) this.child?.kill('SIGKILL');
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.kill();
    await new Promise((resolve) => this.log.end(resolve));
  }

  private async startWithRetries(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.spawnOnce();
      } catch (err) {
        this.failedStarts += 1;
        if (attempt >= 10) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private spawnOnce(): Promise<void> {
    const { cwd, logFile } = this.options;
    const env = typeof this.options.env === 'function' ? this.options.env() : this.options.env;
    this.buildId = env.RESCIND_WORKER_BUILD_ID;
    const as = this.buildId ? ` as build ${this.buildId}` : '';
    this.log.write(
      `\n--- chaos: starting worker (start #${this.starts + 1})${as} at ${new Date().toISOString()} ---\n`,
    );
    const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
    const child = spawn(process.execPath, ['bin/rescind.js', 'worker'], { cwd, env, stdio });
    this.child = child;
    this.isReady = false;
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the worker was not ready within ${READY_WITHIN_MS / 1000} s (log: ${this.options.logFile})`));
      }, READY_WITHIN_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        if (this.isReady || this.child !== child) return;
        seen = (seen + chunk.toString()).slice(-4_096);
        if (!seen.includes(READY)) return;
        this.isReady = true;
        this.starts += 1;
        clearTimeout(timer);
        resolve();
      });
      child.stderr!.on('data', (chunk: Buffer) => this.log.write(chunk));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const wasReady = this.isReady && this.child === child;
        if (this.child === child) this.isReady = false;
        if (!wasReady) reject(new Error(`the worker exited (${code ?? signal}) before it was ready (log: ${logFile})`));
        // A ready worker that ends without our SIGKILL crashed.
        else if (signal !== 'SIGKILL') this.crashes += 1;
      });
    });
  }
}
