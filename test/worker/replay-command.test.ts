/**
 * `rescind replay`, run as an operator runs it before a rollout (node bin/rescind.js, a child
 * process) against a real dev server: runs left open by Rescind's own workers replay with this
 * build's code (exit 0); runs of a `cancelOrder` of another shape do not, and each is named (exit 1);
 * history files replay the same way with no cluster to ask.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEMPORAL_BIN } from '../../scripts/install-temporal-cli.mjs';
import { HISTORIES_DIR } from '../helpers/recorded-histories.js';
import { cliEnv, rescind } from '../client/support.js';
import { startRunsOfAnotherShape } from '../helpers/runs-of-another-shape.js';
import { FAST, startStack, waitForState, waitUntilListed, type Stack } from '../helpers/stack.js';

const execFileAsync = promisify(execFile);

let stack: Stack;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  stack = await startStack();
  env = cliEnv(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const openOnQueue = (taskQueue: string) => `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;

/** Wait until visibility lists `count` runs for the query (it lags the runs by a moment). */
async function listed(query: string, count: number): Promise<string[]> {
  for (;;) {
    const ids = await waitUntilListed(stack, query);
    if (ids.length >= count) return ids;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('rescind replay', () => {
  it("replays every run open on Rescind's task queue with this build's code (exit 0), and --limit bounds them", async () => {
    // Two runs waiting for an operator: a Ping++ order paying at a channel no call cancels, and a
    // PAYJS refund that would be partial (PAYJS refunds whole orders only).
    const paying = await stack.order({ provider: 'pingpp', state: 'paying', amount: 800, payType: 'applepay_upacp' });
    const paid = await stack.order({ provider: 'payjs', state: 'paid', amount: 1200, payType: 'native' });
    for (const order of [paying, { ...paid, amount: 1000 }]) {
      const handle = await stack.cancel(order, { cadence: FAST });
      await waitForState(stack, handle, (s) => s.stage === 'needs_review');
    }
    const unpaid = await stack.order({ provider: 'payjs', state: 'unpaid', amount: 800 });
    const closed = await stack.cancel(unpaid, { cadence: FAST });
    expect(await closed.result()).toMatchObject({ kind: 'closed_unpaid' });
    await listed(openOnQueue(stack.taskQueue), 2);

    const all = await rescind(['replay', '--json'], env);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ query: openOnQueue(stack.taskQueue), replayed: 2, failed: [] });

    // Closed runs too, when the query asks for them; at most --limit.
    const everyRun = `TaskQueue = '${stack.taskQueue}'`;
    await listed(everyRun, 3);
    const limited = await rescind(['replay', '--query', everyRun, '--limit', '1'], env);
    expect(limited.code).toBe(0);
    expect(limited.stdout).toContain(`replayed 1 run(s) of ${everyRun}: 1 replayed with this build's code, 0 did not`);
    const three = await rescind(['replay', '--query', everyRun], env);
    expect(three.code).toBe(0);
    expect(three.stdout).toContain('replayed 3 run(s)');
  }, 180_000);

  it('names each run the code cannot continue, and exits 1', async () => {
    // An earlier build's runs, left open on their queue: that build waited before its first query.
    const earlierQueue = `earlier-${randomUUID()}`;
    const ids = (await startRunsOfAnotherShape(stack.env, earlierQueue, 2)).map((h) => h.workflowId);
    await listed(openOnQueue(earlierQueue), 2);

    const res = await rescind(['replay', '--query', openOnQueue(earlierQueue)], env);
    expect(res.code).toBe(1);
    const failedLines = res.stdout.split('\n').filter((line) => line.startsWith('FAILED '));
    expect(failedLines.map((line) => line.split(' ')[1]).sort()).toEqual([...ids].sort());
    for (const line of failedLines)
      expect(line).toMatch(/: DeterminismViolationError: \[TMPRL1100\] Nondeterminism error: .*TimerStarted\)$/);
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('replayed 2 run(s) of');
    expect(res.stdout).toContain("0 replayed with this build's code, 2 did not");
  }, 180_000);

  it('refuses a query the server cannot read (exit 2), naming --query, and says when nothing matches', async () => {
    const res = await rescind(['replay', '--query', "NoSuchAttribute = 'x'"], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('error: invalid input');
    expect(res.stderr).toMatch(/--query: .*NoSuchAttribute/);
    const none = await rescind(['replay', '--query', "WorkflowId = 'no-such-run'"], env);
    expect(none).toMatchObject({ code: 0, stdout: "no run matches WorkflowId = 'no-such-run': nothing to replay\n" });
    const empty = await rescind(['replay', '--query', '  '], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--query: is empty');
  }, 120_000);

  it('replays history files with no cluster to ask: saved by the Temporal CLI, or recorded with earlier builds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rescind-replay-'));
    try {
      // Saved as an operator saves one: `temporal workflow show --output json`.
      const [stale] = await startRunsOfAnotherShape(stack.env, `earlier-${randomUUID()}`, 1);
      const saved = join(dir, 'earlier-run.json');
      const { stdout } = await execFileAsync(TEMPORAL_BIN, [
        'workflow',
        'show',
        '--workflow-id',
        stale!.workflowId,
        '--address',
        stack.env.address,
        '--output',
        'json',
      ]);
      writeFileSync(saved, stdout);
      const recorded = readdirSync(HISTORIES_DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(HISTORIES_DIR, f));
      // Nothing listens here: files need no cluster.
      const offline = { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' };

      const ok = await rescind(['replay', '--history-file', ...recorded], offline);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe(
        `replayed ${recorded.length} run(s) of ${recorded.length} history file(s): ${recorded.length} replayed with this build's code, 0 did not\n`,
      );
      const mixed = await rescind(['replay', '--history-file', recorded[0]!, saved, '--json'], offline);
      expect(mixed.code).toBe(1);
      const report = JSON.parse(mixed.stdout);
      expect(report).toMatchObject({ files: [recorded[0], saved], replayed: 2 });
      expect(report.failed).toEqual([
        expect.objectContaining({ workflowId: saved, error: expect.stringMatching(/^DeterminismViolationError: /) }),
      ]);

      const missing = join(dir, 'missing.json');
      const refused = await rescind(['replay', '--history-file', saved, missing], offline);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--history-file: ${missing}: ENOENT`);
      const both = await rescind(['replay', '--query', 'x', '--history-file', saved], offline);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('--history-file: replays files, --query runs on the cluster: give one of them');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
