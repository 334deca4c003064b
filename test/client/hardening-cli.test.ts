/**
 * The `rescind` command against what an independent probe tried: numbers written as 1e3 or 0x10,
 * options out of range, ids that cannot name an order, and a second cancel with other facts.
 * Bad input exits 2 naming the option, before anything connects: the option checks run with a
 * Temporal address nothing listens on, where a connection attempt would exit 1 instead.
 */
import { startStack, type Stack } from '../helpers/stack.js';
import { cliEnv, rescind } from './support.js';

const offline: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  USER: 'tester',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  QFPAY_MCHID: 'ZaMVg12345',
};
const cancel = [
  'cancel',
  '--provider',
  'qfpay',
  '--merchant',
  'ZaMVg12345',
  '--order',
  'HARDEN-1',
  '--pay-type',
  '800201',
];

describe('numbers are whole decimal numbers, in range (item 12)', () => {
  it.each(['1e3', '0x10', '10.5', '1_000', ' 100', '+100'])('--amount %j is refused', async (amount) => {
    const res = await rescind([...cancel, '--amount', amount], offline);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`--amount: "${amount}" is not a whole number`);
  });

  it.each([
    [[...cancel, '--amount', '100', '--wait', '--timeout', '0'], '--timeout'],
    [[...cancel, '--amount', '100', '--wait', '--timeout', '1e3'], '--timeout'],
    [[...cancel, '--amount', '100', '--wait', '--timeout', '99999999'], '--timeout'],
    [['reconcile', '--batch-size', '0'], '--batch-size'],
    [['reconcile', '--batch-size', '0x10'], '--batch-size'],
    [['reconcile', '--concurrency', '100000'], '--concurrency'],
    [['reconcile', '--wait', '2d'], '--wait'],
    [['reconcile', '--min-age', '0s'], '--min-age'],
    [['schedule', 'create', '--every', '0s'], '--every'],
    [['schedule', 'create', '--every', '1e3'], '--every'],
    [['schedule', 'create', '--batch-size', '-5'], '--batch-size'],
    [['list', '--limit', '1e3'], '--limit'],
    [['list', '--limit', '0'], '--limit'],
  ])('%j exits 2 naming %s', async (args, option) => {
    const res = await rescind(args, offline);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(option);
    expect(res.stderr).not.toContain('connect');
  });
});

describe('ids are checked before anything connects (item 12)', () => {
  it.each([
    [['status', 'qfpay', 'ZaMVg12345', 'bad:id'], '<order>'],
    [['status', 'qfpay', 'a b', 'O1'], '<merchant>'],
    [['status', 'qfpay', 'ZaMVg12345', '..'], '<order>'],
    [['resolve', 'qfpay', 'ZaMVg12345', 'x'.repeat(65), '--action', 'retry'], '<order>'],
    [['list', '--merchant', 'a:b'], 'merchantId'],
  ])('%j exits 2 naming %s', async (args, field) => {
    const res = await rescind(args, offline);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(field);
  });
});

describe('a second cancel with other facts (item 3)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('exits 2 naming each option that contradicts the existing cancellation; the same facts still attach', async () => {
    const env = cliEnv(stack);
    const order = await stack.order({ provider: 'qfpay', state: 'unpaid', amount: 1200, payType: '800201' });
    const args = [
      'cancel',
      '--provider',
      'qfpay',
      '--merchant',
      order.merchantId,
      '--order',
      order.orderId,
      '--pay-type',
      '800201',
    ];
    expect((await rescind([...args, '--amount', '1200'], env)).code).toBe(0);
    const other = await rescind([...args, '--amount', '1300'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      '--amount: the existing cancellation for this order has 1200; this request says 1300',
    );
    const same = await rescind([...args, '--amount', '1200', '--json'], env);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ started: false });
  });
});
