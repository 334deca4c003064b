#!/usr/bin/env node
/**
 * Builds Prometheus's promtool from its Go module into .tools/bin/, once: `npm test` checks the
 * alerting rules in ops/prometheus with it and runs their unit tests (test/platform/alert-rules.test.ts).
 * Prometheus tags its Go module v0.<minor>.<patch> for release 3.<minor>.<patch>: v0.316.0 is 3.16.0.
 * Idempotent: a present binary with a matching version stamp is left alone.
 *
 * Plain Node with no dependencies, like the Temporal installers.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goInstall, goVersionFor } from './go-install.mjs';

export const PROMTOOL_VERSION = 'v0.316.0';
const MODULE = 'github.com/prometheus/prometheus/cmd/promtool';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS_BIN_DIR = join(root, '.tools', 'bin');
const exe = process.platform === 'win32' ? '.exe' : '';
export const PROMTOOL_BIN = join(TOOLS_BIN_DIR, `promtool${exe}`);
const STAMP = join(TOOLS_BIN_DIR, 'promtool.VERSION');

export function promtoolInstalled() {
  return existsSync(PROMTOOL_BIN) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === PROMTOOL_VERSION;
}

export async function installPromtool() {
  if (promtoolInstalled()) return PROMTOOL_BIN;
  const goVersion = goVersionFor('promtool', 'tools:install-promtool');
  const staging = join(TOOLS_BIN_DIR, '.build');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const target = `${MODULE}@${PROMTOOL_VERSION}`;
  console.log(`[rescind] building promtool (Prometheus ${PROMTOOL_VERSION}) with ${goVersion}`);
  console.log(`[rescind]   go install -v ${target}  (first build takes about 4 minutes)`);
  const started = Date.now();
  await goInstall([target], staging, started);
  renameSync(join(staging, `promtool${exe}`), PROMTOOL_BIN);
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(STAMP, `${PROMTOOL_VERSION}\n`);
  console.log(`[rescind] promtool ready at ${PROMTOOL_BIN} (${Math.round((Date.now() - started) / 1000)} s)`);
  return PROMTOOL_BIN;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installPromtool().then(
    (bin) => console.log(`[rescind] promtool: ${bin}`),
    (err) => {
      console.error(`[rescind] ${err.message}`);
      process.exit(1);
    },
  );
}
