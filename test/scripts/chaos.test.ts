/**
 * The resilience run (`npm run chaos`): its invariant checker on ledgers built by hand, where each
 * broken invariant must be named; then the short run itself, through npm as a user runs it, with
 * a fixed seed: real dev server killed and restarted, real worker processes killed, real faults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Outcome, ProviderId } from '../../domain/index.js';
import type { LedgerEntry } from '../../sandbox/store.js';
import { checkInvariants, INVARIANTS, type InvariantName, type RunResult } from '../../scripts/chaos/invariants.js';
import type { ChaosOrder, StartState } from '../../scripts/chaos/orders.js';
import type { AdminLedger, AdminOrder } from '../../scripts/chaos/sandbox-admin.js';

describe('the chaos invariants', () => {
  let seq = 0;
  const provider: ProviderId = 'wechatpay';
  const order = (orderId: string, state: StartState, amount = 1000): ChaosOrder => ({
    plan: { index: 0, provider, state, payType: 'NATIVE', amount },
    ref: { provider, merchantId: 'M1', orderId, amount },
    workflowId: `rescind:${provider}:M1:${orderId}`,
  });
  const entry = (o: ChaosOrder, kind: LedgerEntry['kind'], amount: number, reference = `R${seq}`): LedgerEntry => ({
    seq: ++seq,
    at: new Date(0).toISOString(),
    provider: o.ref.provider,
    merchantId: o.ref.merchantId,
    orderId: o.ref.orderId,
    kind,
    amount,
    reference,
  });
  const ledger = (entries: LedgerEntry[]): AdminLedger => ({ entries, orders: [], overReturned: [] });
  const final = (o: ChaosOrder, outcome: Outcome): RunResult => ({ order: o, status: 'COMPLETED', outcome });
  const refunded = (amount: number): Outcome => ({ kind: 'refunded', amount, refundKey: 'K-RF1', providerCode: 'OK' });
  /** The sandbox's view of an order it created already refunded: that refund is not Rescind's. */
  const refundedBefore = [{ refunds: [{ refundId: 'RF-OLD', refundKey: 'preexisting', amount: 1000 }] }];
  const closed: Outcome = { kind: 'closed_unpaid', via: 'close', providerCode: 'CLOSED' };
  type Broken = Partial<Record<InvariantName, number>>;
  /** The invariants that do not hold, with how many violations each. */
  const broken = (runs: RunResult[], l: AdminLedger, orders: unknown[] = []): Broken => {
    const results = checkInvariants(runs, l, orders as AdminOrder[]);
    return Object.fromEntries(results.filter((i) => i.violations.length > 0).map((i) => [i.name, i.violations.length]));
  };

  it('holds for refunded, closed, already refunded, not found and in-review runs whose ledger agrees', () => {
    const paid = order('PAID', 'paid');
    const unpaid = order('UNPAID', 'unpaid');
    const before = order('BEFORE', 'refunded');
    const missing = order('MISSING', 'missing');
    const held = order('HELD', 'paid');
    const entries = [
      entry(paid, 'payment', 1000),
      entry(paid, 'refund', 1000),
      entry(before, 'payment', 1000),
      entry(before, 'refund', 1000, 'RF-OLD'),
      entry(held, 'payment', 1000),
    ];
    const runs: RunResult[] = [
      final(paid, refunded(1000)),
      final(unpaid, closed),
      final(before, { kind: 'already_refunded', refundedAmount: 1000, providerCode: 'REFUND' }),
      final(missing, { kind: 'not_found', providerCode: 'ORDER_NOT_EXIST' }),
      { order: held, status: 'RUNNING', stage: 'needs_review', reviewReason: 'refund rejected: balance too low' },
    ];
    expect(broken(runs, ledger(entries), refundedBefore)).toEqual({});
  });

  it('a second refund breaks "refunded more than once" and the outcome check', () => {
    const o = order('TWICE', 'paid');
    const entries = [entry(o, 'payment', 1000), entry(o, 'refund', 1000), entry(o, 'refund', 1000)];
    expect(broken([final(o, refunded(1000))], ledger(entries))).toEqual({
      'every final outcome matches the ledger': 1,
      'no order refunded more than once': 1,
    });
  });

  it('"refunded" with no refund in the ledger leaves a paid order unrefunded', () => {
    const o = order('CLAIMED', 'paid');
    expect(broken([final(o, refunded(1000))], ledger([entry(o, 'payment', 1000)]))).toEqual({
      'every final outcome matches the ledger': 1,
      'no paid order left unrefunded': 1,
    });
  });

  it('"closed unpaid" on an order whose payment is kept is caught', () => {
    const o = order('KEPT', 'paying');
    expect(broken([final(o, closed)], ledger([entry(o, 'payment', 700)]))).toEqual({
      'every final outcome matches the ledger': 1,
      'no paid order left unrefunded': 1,
    });
  });

  it('a refund of an order nobody paid is caught', () => {
    const o = order('NEVERPAID', 'unpaid');
    expect(broken([final(o, closed)], ledger([entry(o, 'refund', 500)]))).toEqual({
      'every final outcome matches the ledger': 1,
      'no order refunded more than once': 1,
      'no unpaid order refunded': 1,
    });
  });

  it('"already refunded" where Rescind refunded too is caught', () => {
    const o = order('ALREADY', 'refunded');
    const entries = [entry(o, 'payment', 1000), entry(o, 'refund', 1000, 'RF-OLD'), entry(o, 'refund', 1000, 'RF-NEW')];
    const outcome: Outcome = { kind: 'already_refunded', refundedAmount: 1000, providerCode: 'REFUND' };
    expect(broken([final(o, outcome)], ledger(entries), refundedBefore)).toEqual({
      'every final outcome matches the ledger': 1,
      'no order refunded more than once': 1,
    });
  });

  it('a run still open, one that failed, and a review without a reason are each named', () => {
    const runs: RunResult[] = [
      { order: order('OPEN', 'paid'), status: 'RUNNING', stage: 'refunding' },
      { order: order('FAILED', 'paid'), status: 'TERMINATED' },
      { order: order('NOREASON', 'paid'), status: 'RUNNING', stage: 'needs_review', reviewReason: ' ' },
    ];
    const [settled] = checkInvariants(runs, ledger([]), []);
    expect(settled!.name).toBe('every run final or in review with a reason');
    expect(settled!.violations).toEqual([
      'wechatpay OPEN (started paid): running, stage refunding',
      'wechatpay FAILED (started paid): terminated',
      'wechatpay NOREASON (started paid): in review without a reason',
    ]);
  });
});

/** `npm run chaos -- <args>` through npm as a user runs it; its whole output and exit code. */
async function runChaos(
  args: string[],
  started: (child: ChildProcess) => void,
): Promise<{ code: number | null; output: string }> {
  // Its own process group, so the whole run (npm, the script, its workers and server) can be stopped by one id.
  const chaos = spawn('npm', ['run', 'chaos', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started(chaos);
  let output = '';
  chaos.stdout!.on('data', (d: Buffer) => (output += d));
  chaos.stderr!.on('data', (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((resolve) => chaos.on('close', resolve));
  if (code !== 0) console.log(output);
  return { code, output };
}

/** Every invariant held, and the chaos happened: the server restarted once, workers were killed, faults were taken. */
function expectChaosSurvived(output: string, seed: number): void {
  for (const name of INVARIANTS) expect(output).toMatch(new RegExp(`^${name}\\s+ok\\s+0\\s*$`, 'm'));
  expect(output).toMatch(new RegExp(`^\\[chaos\\] all 5 invariants hold \\(seed ${seed}\\)$`, 'm'));
  expect(output).toMatch(/^Temporal server restarts \(after SIGKILL\)\s+1\s*$/m);
  expect(Number(/^worker kills \(SIGKILL\)\s+(\d+)/m.exec(output)?.[1])).toBeGreaterThan(0);
  expect(Number(/^faults injected \(requests faulted\)\s+(\d+)/m.exec(output)?.[1])).toBeGreaterThan(0);
}

describe('npm run chaos -- 40', () => {
  let chaos: ChildProcess | undefined;
  afterEach(() => {
    // A failed assertion must not leave the run, its worker processes or its dev server behind.
    if (chaos?.pid && chaos.exitCode === null) process.kill(-chaos.pid, 'SIGKILL');
  });

  it('kills workers and the server, injects faults, and every invariant holds', async () => {
    const { code, output } = await runChaos(['40', '--seed', '20260601'], (c) => (chaos = c));
    expect(code).toBe(0);
    expectChaosSurvived(output, 20260601);
    // Orders of all four providers were cancelled: each row of the orders table ends with a total above 0.
    for (const id of ['payjs', 'qfpay', 'wechatpay', 'pingpp']) {
      expect(output).toMatch(new RegExp(`^${id}\\s+(\\d+\\s+){6}[1-9]\\d*\\s*$`, 'm'));
    }
  }, 360_000);

  it('with --rollouts every restarted worker is a new build made current unless it lacks a provider, and every invariant still holds', async () => {
    const { code, output } = await runChaos(['40', '--seed', '20261203', '--rollouts'], (c) => (chaos = c));
    expect(code).toBe(0);
    expectChaosSurvived(output, 20261203);
    // The runs moved across builds: more than one was made current while they ran.
    expect(Number(/^builds made current \(--rollouts\)\s+(\d+)/m.exec(output)?.[1])).toBeGreaterThan(1);
    // Every third restart's build lacked one provider's configuration: each was refused, none took over.
    expect(Number(/^builds missing a provider, refused for it\s+(\d+)/m.exec(output)?.[1])).toBeGreaterThan(0);
    expect(output).toMatch(/^builds missing a provider, made current\s+0\s*$/m);
  }, 360_000);
});
