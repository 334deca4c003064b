#!/usr/bin/env node
/**
 * Builds the Temporal CLI (which embeds the dev server and UI) from its Go module into
 * .temporal/bin/, once. v1.5.1 is pinned: later tags carry a `replace` directive that breaks
 * `go install`. Idempotent: a present binary with a matching version stamp is left alone.
 *
 * Plain Node with no dependencies, so it runs before `npm install` has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPORAL_BIN_DIR = join(root, '.temporal', 'bin');
export const TEMPORAL_BIN = join(TEMPORAL_BIN_DIR, process.platform === 'win32' ? 'temporal.exe' : 'temporal');
const STAMP = join(TEMPORAL_BIN_DIR, 'VERSION');

export function temporalCliInstalled() {
  return existsSync(TEMPORAL_BIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === TEMPORAL_CLI_VERSION;
}

export function installTemporalCli() {
  if (temporalCliInstalled()) return TEMPORAL_BIN;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'The Temporal CLI is missing and Go is not installed, so it cannot be built.\n' +
        'Install Go 1.22+ (https://go.dev/dl/) and run `npm run temporal:install` again,\n' +
        `or put a Temporal CLI ${TEMPORAL_CLI_VERSION} binary at ${TEMPORAL_BIN}.`,
    );
  }
  mkdirSync(TEMPORAL_BIN_DIR, { recursive: true });
  const module = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
  console.log(`[rescind] building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go.stdout.trim()}`);
  console.log(`[rescind]   go install ${module}  (first build takes about 3 minutes; progress below)`);
  const started = Date.now();
  const build = spawnSync('go', ['install', module], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: TEMPORAL_BIN_DIR, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
  });
  if (build.status !== 0) throw new Error(`go install ${module} failed (exit ${build.status}); see the output above`);
  writeFileSync(STAMP, `${TEMPORAL_CLI_VERSION}\n`);
  console.log(`[rescind] Temporal CLI ready at ${TEMPORAL_BIN} (${Math.round((Date.now() - started) / 1000)} s)`);
  return TEMPORAL_BIN;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const bin = installTemporalCli();
    console.log(`[rescind] Temporal CLI: ${bin}`);
  } catch (err) {
    console.error(`[rescind] ${err.message}`);
    process.exit(1);
  }
}
