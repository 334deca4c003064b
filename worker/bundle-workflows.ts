/**
 * Child-process entry (worker/bundle.ts starts it): `bundle-workflows.ts <workflowsPath> [interceptor module...]`
 * bundles the workflows with those interceptor modules and writes the bundle's code to stdout. Run
 * apart so that webpack's memory leaves with this process instead of staying in the worker's.
 */
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const [workflowsPath, ...workflowInterceptorModules] = process.argv.slice(2);
if (!workflowsPath) throw new Error('usage: bundle-workflows.ts <workflowsPath> [interceptor module...]');
// stdout carries the bundle alone; the bundler's warnings and errors go to stderr.
const logger = new DefaultLogger('WARN', ({ level, message, meta }) =>
  process.stderr.write(`[rescind] workflow bundle ${level}: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`),
);
const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger });
process.stdout.write(code);
