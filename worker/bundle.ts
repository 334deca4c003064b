/**
 * The workflow bundle for `rescind worker` and `npm start`, built at each start in a short-lived
 * child process (worker/bundle-workflows.ts): bundling in the worker itself leaves webpack's
 * memory in the worker for its whole life. Built fresh every time, so it never lags the code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./bundle-workflows.ts', import.meta.url));

export interface BundleRequest {
  workflowsPath: string;
  /** Every workflow interceptor module the worker registers: a bundle carries its own. */
  workflowInterceptorModules: readonly string[];
}

/** Bundles in a child process (node with tsx's loader, as bin/rescind.js runs the sources). */
export function bundleWorkflowsInChild(request: BundleRequest): Promise<{ code: string }> {
  return new Promise((resolve, reject) => {
    // cwd ROOT: `--import tsx` resolves from there, the repo's own node_modules.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, request.workflowsPath, ...request.workflowInterceptorModules],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ code: Buffer.concat(chunks).toString('utf8') });
      else
        reject(new Error(`bundling the workflows failed (child exited with ${code ?? signal}; its errors are above)`));
    });
  });
}
