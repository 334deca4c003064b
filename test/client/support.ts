/**
 * Helpers for the client tests: run the real `rescind` binary, call the HTTP API, and check
 * whether a workflow exists. Everything talks to real servers started by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Stack } from '../helpers/stack.js';

export const BIN = resolve('bin/rescind.js');

/** The environment that points the CLI at the test's dev server, sandbox and task queue. */
export function cliEnv(stack: Stack, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, USER: 'tester' };
  return {
    ...env,
    ...stack.sandbox.env,
    TEMPORAL_ADDRESS: stack.env.address,
    TEMPORAL_NAMESPACE: 'default',
    RESCIND_TASK_QUEUE: stack.taskQueue,
    ...extra,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `rescind <args>` to completion. */
export function rescind(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A long-running `rescind` command (sandbox, api, worker): resolves once `ready` matches its output. */
export function startRescind(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string; stop(): Promise<number | null> }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let matched = false;
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const onData = (d: Buffer) => {
      output += d;
      const match = output.match(ready);
      if (match && !matched) {
        matched = true;
        done({
          child,
          match,
          output: () => output,
          stop: async () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      if (!matched) fail(new Error(`rescind ${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Whether any run exists under this workflow id. */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Retry `probe` until it returns a value (for eventually consistent visibility and async deliveries). */
export async function eventually<T>(probe: () => Promise<T | undefined>, pauseMs = 200): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** JSON over HTTP: status, parsed body (or text) and headers. */
export async function http(
  method: string,
  url: string,
  options: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}
