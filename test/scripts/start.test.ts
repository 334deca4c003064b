/**
 * `npm start` exactly as a user runs it (through npm), on free ports and a throwaway data folder:
 * the stack comes up, the demo cancels its batch across the four providers, the UI serves, a
 * SIGTERM to npm stops every part, and a second start keeps the first start's runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../scripts/dev-server.js';
import { DEMO_ORDERS } from '../../scripts/demo.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rescind-start-'));
const launched: ChildProcess[] = [];
afterAll(() => {
  // A failed assertion must not leave a stack running.
  for (const npm of launched) if (npm.exitCode === null) npm.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start [args]`; resolves once `ready` appears in its output. */
async function npmStart(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> {
  const npm = spawn('npm', ['start', '--', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(npm);
  let output = '';
  const exited = new Promise<number | null>((r) => npm.on('close', r));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      if (ready.test(output)) resolve();
    };
    npm.stdout!.on('data', onData);
    npm.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
  return { npm, output: () => output, exited };
}

/** Whether something accepts connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Wait (bounded) until nothing listens on the ports; a part left running fails the test by name. */
async function untilClosed(ports: Record<string, number>): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const open = (
      await Promise.all(
        Object.entries(ports).map(async ([name, port]) => ((await listening(port)) ? `${name} (${port})` : undefined)),
      )
    ).filter(Boolean);
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still listening 90 s after npm stopped: ${open.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let env: NodeJS.ProcessEnv;
let ports: { temporal: number; ui: number; api: number; sandbox: number };
beforeAll(async () => {
  ports = { temporal: await freePort(), ui: await freePort(), api: await freePort(), sandbox: await freePort() };
  env = {
    ...process.env,
    // Unset: npm start then runs its own dev server.
    TEMPORAL_ADDRESS: '',
    RESCIND_DATA_DIR: dataDir,
    RESCIND_ORDER_SOURCE: `file:${join(dataDir, 'orders.json')}`,
    RESCIND_TEMPORAL_PORT: String(ports.temporal),
    RESCIND_TEMPORAL_UI_PORT: String(ports.ui),
    RESCIND_API_PORT: String(ports.api),
    RESCIND_SANDBOX_PORT: String(ports.sandbox),
  };
});

it('brings the stack up, runs the demo, stops on SIGTERM, and keeps the runs for the next start', async () => {
  const first = await npmStart([], env, /\[demo\] every run is in the Temporal UI/);
  const out = first.output();
  expect(out).toContain(`Temporal UI        http://127.0.0.1:${ports.ui}/namespaces/default/workflows`);
  expect(out).toContain(`HTTP API           http://127.0.0.1:${ports.api}`);
  expect(out).toContain(`Sandbox            http://127.0.0.1:${ports.sandbox}`);
  expect(out).toContain('providers payjs, qfpay, wechatpay, pingpp');

  // The demo table: one row per order, each with the outcome its state calls for.
  const rows = out.split('\n').filter((l) => /^(payjs|qfpay|wechatpay|pingpp)\s/.test(l));
  expect(rows).toHaveLength(DEMO_ORDERS.length);
  const outcomes = rows.map((r) => r.split(/\s+/)[4]);
  expect(outcomes.filter((o) => o === 'refunded').length).toBeGreaterThanOrEqual(3);
  expect(outcomes).toEqual(expect.arrayContaining(['closed_unpaid', 'already_closed', 'already_refunded']));
  expect(outcomes).not.toContain('needs_review');
  expect(out).toContain('[demo] sandbox ledger: 0 orders with more money returned than paid');
  expect((await fetch(`http://127.0.0.1:${ports.ui}/namespaces/default/workflows`)).status).toBe(200);

  // A supervisor stops npm: every part of the stack goes with it.
  first.npm.kill('SIGTERM');
  await first.exited;
  await untilClosed(ports);

  const second = await npmStart(['--no-demo'], env, /Stop with Ctrl-C/);
  try {
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    const client = new Client({ connection });
    let kept = 0;
    for await (const wf of client.workflow.list({
      query: `WorkflowType = 'cancelOrder' AND ExecutionStatus = 'Completed'`,
    }))
      kept += wf.workflowId.startsWith('rescind:') ? 1 : 0;
    expect(kept).toBe(DEMO_ORDERS.length);
    await connection.close();
  } finally {
    second.npm.kill('SIGTERM');
    await second.exited;
    await untilClosed(ports);
  }
}, 300_000);
