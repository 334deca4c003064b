/**
 * A namespace without Rescind's search attributes, as a new self-hosted cluster has: `rescind worker`
 * stops at start naming each missing attribute and `rescind setup` (every start would be refused
 * otherwise), `rescind setup` registers them, a second run changes nothing, and then the worker
 * starts and a cancellation on that namespace runs to its outcome. `rescind api` stops the same way.
 * Real dev server and sandbox.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { cancelSandboxOrder } from '../helpers/cancel-sandbox-order.js';
import { useTestServers } from '../helpers/servers.js';
import { stackWorkerEnv } from '../helpers/worker-process-env.js';
import { eventually, rescind, startRescind } from '../client/support.js';
import { TEMPORAL_BIN } from '../../scripts/install-temporal-cli.mjs';

const servers = useTestServers();
const run = promisify(execFile);
const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('close', done)));

test('rescind worker stops on a namespace without the search attributes; rescind setup registers them once', async () => {
  const { temporal, sandbox } = servers;
  const namespace = `fresh-${randomUUID().slice(0, 8)}`;
  // As an operator makes a namespace on a new cluster.
  await run(TEMPORAL_BIN, ['operator', 'namespace', 'create', '--namespace', namespace, '--address', temporal.address]);
  const taskQueue = `setup-${randomUUID()}`;
  const env = stackWorkerEnv(temporal, sandbox, taskQueue, { TEMPORAL_NAMESPACE: namespace });
  // A new namespace reaches the frontend's cache within seconds.
  await eventually(async () => {
    try {
      await temporal.client.connection.operatorService.listSearchAttributes({ namespace });
      return true;
    } catch {
      return undefined;
    }
  }, 500);

  const refused = await startRescind(['worker'], env, /worker on |lacks Rescind's search attributes[^\n]*\n/);
  expect(await exitOf(refused.child)).toBe(1);
  expect(refused.output()).toContain(
    `namespace ${namespace} lacks Rescind's search attributes ${SEARCH_ATTRIBUTES.map((k) => `${k.name} (Keyword)`).join(', ')}: every start would be refused. Register them once with \`rescind setup\``,
  );
  expect(refused.output()).not.toContain('worker on ');
  // The API, which starts cancellations for other languages, says the same instead of serving refusals.
  const api = await startRescind(['api', '--port', '0'], env, /HTTP API on |lacks Rescind's search attributes[^\n]*\n/);
  expect(await exitOf(api.child)).toBe(1);
  expect(api.output()).toContain(`namespace ${namespace} lacks Rescind's search attributes RescindProvider (Keyword)`);

  const setup = await rescind(['setup', '--json'], env);
  expect(setup.code).toBe(0);
  expect(JSON.parse(setup.stdout)).toEqual({ namespace, registered: SEARCH_ATTRIBUTES.map((k) => k.name) });
  const again = await rescind(['setup'], env);
  expect(again).toMatchObject({
    code: 0,
    stdout: `${namespace}: Rescind's 5 search attributes were all registered already\n`,
  });

  const worker = await startRescind(['worker'], env, /\[rescind\] worker on .*\n/);
  try {
    const client = new Client({ connection: temporal.client.connection, namespace });
    const { handle } = await cancelSandboxOrder(
      client,
      sandbox,
      taskQueue,
      { provider: 'wechatpay', state: 'unpaid', amount: 640, payType: 'NATIVE' },
      { reason: 'setup test' },
    );
    expect(await handle.result()).toMatchObject({ kind: 'closed_unpaid' });
  } finally {
    await worker.stop();
  }
});
