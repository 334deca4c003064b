/**
 * A `rescind <command>` child process for the benchmarks (the sandbox, a worker): it runs apart
 * from the measuring process, so its CPU does not slow the measurement and its memory is its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const BIN = resolve('bin/rescind.js');

export interface RescindProcess {
  child: ChildProcess;
  /** The first match of the ready pattern. */
  ready: RegExpMatchArray;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

export function startRescindProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPattern: RegExp,
): Promise<RescindProcess> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    let output = '';
    let ready = false;
    const onData = (d: Buffer): void => {
      // Only the start is kept: a worker under load may log a lot.
      if (output.length < 100_000) output += d;
      const match = ready ? null : output.match(readyPattern);
      if (!match) return;
      ready = true;
      done({
        child,
        ready: match,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      if (!ready) fail(new Error(`rescind ${args.join(' ')} exited before it was ready:\n${output}`));
    });
  });
}

/** CPU time (user + system) a process has used, in ms; Linux only, undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process, now and at its peak (VmHWM), in MiB; Linux only, undefined elsewhere. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
