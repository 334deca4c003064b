/**
 * `go install -v` for the tools the project builds from their Go modules (scripts/install-*.mjs),
 * reporting downloads and compiled packages every few seconds instead of one line per package.
 *
 * Plain Node with no dependencies, so it runs before `npm install` has.
 */
import { spawn, spawnSync } from 'node:child_process';

const PROGRESS_EVERY_MS = 20_000;

/** The `go version` line; without Go, an error naming what is missing and the npm script that builds it. */
export function goVersionFor(missing, npmScript) {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `${missing} is missing and Go is not installed, so it cannot be built.\n` +
        `Install Go 1.25+ (https://go.dev/dl/) and run \`npm run ${npmScript}\` again.`,
    );
  }
  return go.stdout.trim();
}

/** Install `targets` (module/package@version) into `gobin`; `started` is when the caller began, for the progress lines. */
export function goInstall(targets, gobin, started) {
  return new Promise((done, fail) => {
    const child = spawn('go', ['install', '-v', ...targets], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
    });
    let downloads = 0;
    let compiled = 0;
    const tail = [];
    let partial = '';
    child.stderr.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('go: downloading')) downloads += 1;
        else if (line.trim()) compiled += 1;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
    const progress = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(`[rescind]   ${seconds} s: ${downloads} modules downloaded, ${compiled} packages built`);
    }, PROGRESS_EVERY_MS);
    child.on('error', (err) => {
      clearInterval(progress);
      fail(err);
    });
    child.on('close', (code) => {
      clearInterval(progress);
      if (code === 0) return done();
      fail(new Error(`go install failed (exit ${code}); its last lines:\n${tail.join('\n')}`));
    });
  });
}
