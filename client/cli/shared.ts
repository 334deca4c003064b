/** What every CLI command shares: exit codes, output, error reporting, and the Temporal connection. */
import type { Client } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { ConfigError } from '../../platform/env.js';
import { loadClientConfig, type ClientConfig } from '../config.js';
import { connectClient } from '../../platform/temporal.js';
import { ApiAuthConfigError } from '../api/auth.js';
import { parseDuration, parseWholeNumber, type Range } from '../duration.js';
import {
  CancellationConflictError,
  CancellationNotFoundError,
  OutcomeTimeoutError,
  ReviewRejectedError,
} from '../library.js';
import { idSchema, RequestError } from '../request.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, needsReview: 3, timeout: 4 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (with --wait: the cancellation reached a final outcome)
  1  failure: Temporal unreachable, no cancellation for the order, not in review, run failed
  2  bad input or configuration: the message names each field, option or variable to fix
     (also: a cancellation for the order exists with other facts, e.g. another --amount)
  3  the cancellation needs review by an operator (see rescind resolve)
  4  --wait gave up after --timeout; the cancellation goes on`;

export const CONFIG_HELP = `
Configuration comes from environment variables (see the README), among them:
  TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_API_KEY,
  RESCIND_TASK_QUEUE (rescind), RESCIND_API_HOST / _PORT / _TOKENS / _BODY_LIMIT,
  RESCIND_ORDER_SOURCE (file:.data/orders.json or a postgres:// URL), RESCIND_RECONCILE_MIN_AGE (15m),
  and each provider's credentials (PAYJS_*, QFPAY_*, WECHATPAY_*, PINGPP_*); a worker without any
  provider needs RESCIND_WORKER_RECONCILE_ONLY=true.`;

export interface Output {
  json?: boolean;
}

/** Print the result: JSON on stdout with --json, otherwise the text. */
export function print(out: Output, value: unknown, text: () => string): void {
  console.log(out.json ? JSON.stringify(value, null, 2) : text());
}

/** Report an error on stderr and choose the exit code for it. */
export function fail(err: unknown): number {
  if (err instanceof CancellationConflictError) {
    console.error(
      `error: a cancellation for this order already exists (${err.workflowId}) with other facts; nothing was started`,
    );
    for (const f of err.fields) console.error(`  ${f.field}: ${f.message}`);
    return EXIT.badInput;
  }
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
export async function withConfig(
  work: (config: ClientConfig, client: () => Promise<Client>) => Promise<number>,
): Promise<void> {
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

/** A commander option parser from one of duration.ts's parsers: a bad value is a usage error (exit 2) naming the option. */
const optionParser =
  <T>(flag: string, parse: (value: string, field: string) => T) =>
  (value: string): T => {
    try {
      return parse(value, flag);
    } catch (err) {
      if (err instanceof RequestError)
        throw new InvalidArgumentError(
          err.fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; '),
        );
      throw err;
    }
  };

/** Option parser for a whole number in decimal digits, within `range`. */
export const wholeNumberOption = (flag: string, range?: Range) =>
  optionParser(flag, (value, field) => parseWholeNumber(value, field, range));

/** Option parser for a duration ("90s", "15m", "2h", "1d"), in milliseconds, within `range`. */
export const durationOption = (flag: string, range?: Range) =>
  optionParser(flag, (value, field) => parseDuration(value, field, range));

/** Option parser for whole numbers, for options without a range of their own (e.g. --port; commander names the option). */
export const int = wholeNumberOption('');

/** Check the id arguments of a command (merchant, order) before anything connects: RequestError naming each bad one. */
export function checkIds(ids: Record<string, string>): void {
  const fields = Object.entries(ids).flatMap(([name, value]) => {
    const parsed = idSchema(name).safeParse(value);
    return parsed.success ? [] : [{ field: `<${name}>`, message: parsed.error.issues[0]!.message }];
  });
  if (fields.length > 0) throw new RequestError(fields);
}

/** Resolves on Ctrl-C or SIGTERM, for the long-running commands. */
export const untilStopped = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
