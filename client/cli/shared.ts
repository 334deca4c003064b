/** What every CLI command shares: exit codes, output, error reporting, and the Temporal connection. */
import type { Client } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../../platform/env.js';
import { loadClientConfig, type ClientConfig } from '../config.js';
import { connectClient } from '../../platform/temporal.js';
import { ApiAuthConfigError } from '../api/auth.js';
import { CancellationNotFoundError, OutcomeTimeoutError, ReviewRejectedError } from '../library.js';
import { RequestError } from '../request.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, needsReview: 3, timeout: 4 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (with --wait: the cancellation reached a final outcome)
  1  failure: Temporal unreachable, no cancellation for the order, not in review, run failed
  2  bad input or configuration: the message names each field or variable to fix
  3  the cancellation needs review by an operator (see rescind resolve)
  4  --wait gave up after --timeout; the cancellation goes on`;

export const CONFIG_HELP = `
Configuration comes from environment variables (see the README), among them:
  TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_API_KEY,
  RESCIND_TASK_QUEUE (rescind), RESCIND_API_HOST / _PORT / _TOKENS / _BODY_LIMIT,
  RESCIND_ORDER_SOURCE (file:.data/orders.json or a postgres:// URL), RESCIND_RECONCILE_MIN_AGE (15m),
  and each provider's credentials (PAYJS_*, QFPAY_*, WECHATPAY_*, PINGPP_*).`;

export interface Output {
  json?: boolean;
}

/** Print the result: JSON on stdout with --json, otherwise the text. */
export function print(out: Output, value: unknown, text: () => string): void {
  console.log(out.json ? JSON.stringify(value, null, 2) : text());
}

/** Report an error on stderr and choose the exit code for it. */
export function fail(err: unknown): number {
  if (err instanceof RequestError) {
    console.error('error: invalid input');
    for (const f of err.fields) console.error(`  ${f.field}: ${f.message}`);
    return EXIT.badInput;
  }
  if (err instanceof ConfigError || err instanceof ApiAuthConfigError) {
    console.error(err.message);
    return EXIT.badInput;
  }
  if (err instanceof OutcomeTimeoutError) {
    console.error(`error: ${err.message}`);
    return EXIT.timeout;
  }
  if (err instanceof CancellationNotFoundError || err instanceof ReviewRejectedError) {
    console.error(`error: ${err.message}`);
    return EXIT.failure;
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT.failure;
}

/** Run a command's work, map what it throws to an exit code, and set that code for the process. */
export async function run(work: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await work();
  } catch (err) {
    code = fail(err);
  }
  process.exitCode = code;
}

/** Run a command with a Temporal client from the configuration; the connection is closed afterwards. */
export async function withClient(work: (client: Client, config: ClientConfig) => Promise<number>): Promise<void> {
  return run(async () => {
    const config = loadClientConfig();
    const client = await connectClient(config.temporal);
    try {
      return await work(client, config);
    } finally {
      await client.connection.close().catch(() => undefined);
    }
  });
}

/**
 * Run a command with the configuration and a Temporal client made on first use, so bad input is
 * reported (exit 2) before anything connects. The connection is closed afterwards.
 */
export async function withConfig(work: (config: ClientConfig, client: () => Promise<Client>) => Promise<number>): Promise<void> {
  let connecting: Promise<Client> | undefined;
  return run(async () => {
    const config = loadClientConfig();
    try {
      return await work(config, () => (connecting ??= connectClient(config.temporal)));
    } finally {
      if (connecting) await connecting.then((c) => c.connection.close()).catch(() => undefined);
    }
  });
}

/** Option parser for whole numbers (commander reports a bad value as a usage error, exit code 2). */
export const int = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return n;
};

/** Resolves on Ctrl-C or SIGTERM, for the long-running commands. */
export const untilStopped = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
