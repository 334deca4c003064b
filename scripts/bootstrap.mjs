#!/usr/bin/env node
/**
 * `npm start` and `npm test` both come here first: install what a fresh clone lacks
 * (npm packages, the Temporal CLI; for tests the Temporal server and promtool), then hand over to the real command.
 *
 * Plain Node with no dependencies, so it works before `npm install` has run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTemporalCli } from './install-temporal-cli.mjs';
import { installTemporalServer } from './install-temporal-server.mjs';
import { installPromtool } from './install-promtool.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, ...args] = process.argv.slice(2);

function dependenciesInstalled() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return false;
  const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
  return Object.entries(wanted).every(
    ([path, pkg]) => path === '' || pkg.optional || have[path]?.version === pkg.version,
  );
}

function ensureDependencies() {
  if (dependenciesInstalled()) return;
  const command = process.env.CI ? 'ci' : 'install';
  console.log(`[rescind] installing npm packages (npm ${command})`);
  const npm = spawnSync('npm', [command, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm ${command} failed (exit ${npm.status})`);
}

function run(command, commandArgs, extraEnv = {}) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  // Ctrl-C reaches the child through the terminal's process group; for a plain SIGTERM, pass it on.
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => undefined);
  // `npm start` runs us under `sh -c`, which dies on SIGTERM without passing it on (a supervisor
  // stopping npm would orphan the whole stack): when our parent is gone, stop the child too.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanCheck);
    child.kill('SIGTERM');
  }, 500);
  child.on('exit', (code, signal) => {
    clearInterval(orphanCheck);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

try {
  ensureDependencies();
  installTemporalCli();
  // The cluster tests run the full server on PostgreSQL: built once, like the CLI.
  if (mode === 'test') await installTemporalServer();
  // The alerting rules' tests run promtool (ops/prometheus): built once, like the server.
  if (mode === 'test') await installPromtool();
} catch (err) {
  console.error(`[rescind] ${err.message}`);
  process.exit(1);
}

const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
if (mode === 'start') run(process.execPath, [tsx, 'scripts/start.ts', ...args]);
else if (mode === 'test')
  run(process.execPath, ['--experimental-vm-modules', jest, ...args], { NODE_NO_WARNINGS: '1' });
else {
  console.error('usage: node scripts/bootstrap.mjs start|test [args]');
  process.exit(2);
}
