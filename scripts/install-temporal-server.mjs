#!/usr/bin/env node
/**
 * Builds the Temporal server and its SQL schema tool from their Go module into .temporal/server/,
 * once, for the production-shaped local cluster (`npm run cluster`, test/cluster). v1.29.1 is the
 * server the pinned CLI (scripts/install-temporal-cli.mjs) embeds. The schema files are compiled
 * into temporal-sql-tool (the module embeds them), so nothing at run time needs the Go module cache.
 * Idempotent: present binaries with a matching version stamp are left alone.
 *
 * Plain Node with no dependencies, like the CLI installer.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goInstall, goVersionFor } from './go-install.mjs';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPORAL_SERVER_DIR = join(root, '.temporal', 'server');
const exe = process.platform === 'win32' ? '.exe' : '';
export const TEMPORAL_SERVER_BIN = join(TEMPORAL_SERVER_DIR, `temporal-server${exe}`);
export const TEMPORAL_SQL_TOOL = join(TEMPORAL_SERVER_DIR, `temporal-sql-tool${exe}`);
const STAMP = join(TEMPORAL_SERVER_DIR, 'VERSION');
// `go install` names a binary after its package folder: cmd/server → server, cmd/tools/sql → sql.
const PACKAGES = [
  { pkg: 'cmd/server', built: `server${exe}`, target: TEMPORAL_SERVER_BIN },
  { pkg: 'cmd/tools/sql', built: `sql${exe}`, target: TEMPORAL_SQL_TOOL },
];

export function temporalServerInstalled() {
  return (
    PACKAGES.every((p) => existsSync(p.target)) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, 'utf8').trim() === TEMPORAL_SERVER_VERSION
  );
}

export async function installTemporalServer() {
  if (temporalServerInstalled()) return TEMPORAL_SERVER_BIN;
  const goVersion = goVersionFor('The Temporal server', 'temporal:install-server');
  const staging = join(TEMPORAL_SERVER_DIR, '.build');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const targets = PACKAGES.map((p) => `${MODULE}/${p.pkg}@${TEMPORAL_SERVER_VERSION}`);
  console.log(`[rescind] building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with ${goVersion}`);
  console.log(`[rescind]   go install -v ${targets.join(' ')}  (first build takes several minutes)`);
  const started = Date.now();
  await goInstall(targets, staging, started);
  for (const p of PACKAGES) renameSync(join(staging, p.built), p.target);
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(STAMP, `${TEMPORAL_SERVER_VERSION}\n`);
  console.log(
    `[rescind] Temporal server ready at ${TEMPORAL_SERVER_BIN} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
  return TEMPORAL_SERVER_BIN;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installTemporalServer().then(
    (bin) => console.log(`[rescind] Temporal server: ${bin}`),
    (err) => {
      console.error(`[rescind] ${err.message}`);
      process.exit(1);
    },
  );
}
