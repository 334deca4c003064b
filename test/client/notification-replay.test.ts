/**
 * Issue 9, item 1, through the HTTP receiver: the same genuine PAYJS notification POSTed to
 * /notify/payjs 3 times 0.7 s apart, while every query answers with a bad signature. Each delivery is
 * acknowledged; the run's own queries, its reverses and their spacing follow the policy's backoff as
 * if nothing had arrived, and at most one query per backoff step is brought forward.
 */
import { createHash } from 'node:crypto';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { cancellationWorkflowId } from '../../domain/index.js';
import { SIMULATORS } from '../../sandbox/providers/index.js';
import type { Cadence } from '../../workflows/definitions.js';
import { loadConfig } from '../../worker/config.js';
import { FAST, startStack, waitForState, type Stack } from '../helpers/stack.js';
import {
  clearFaults,
  counted,
  gaps,
  shorterThan,
  timedCalls,
  unknownRetrySteps,
  type TimedCall,
} from '../workflows/timed-calls.js';
import { http } from './support.js';

let stack: Stack;
let api: ApiServer;
beforeAll(async () => {
  stack = await startStack();
  const config = {
    ...loadConfig({ ...stack.sandbox.env, RESCIND_API_TOKENS: 'api-token-not-used-by-providers' }),
    taskQueue: stack.taskQueue,
  };
  api = await startApiServer({ config, client: stack.env.client, host: '127.0.0.1', port: 0, logLevel: 'silent' });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many calls a notification brought forward between two of the policy's own queries (one entry per step). */
function broughtForwardPerStep(calls: TimedCall[]): number[] {
  const perStep: number[] = [];
  for (const c of calls) {
    if (c.call !== 'queryOrder') continue;
    if (c.byNotification) perStep[perStep.length - 1] = (perStep.at(-1) ?? 0) + 1;
    else perStep.push(0);
  }
  return perStep;
}

it('PAYJS micropay: the replayed notification neither spends the unknown budget nor shortens the backoff', async () => {
  const cadence: Cadence = { ...FAST, unknownRetryDelayMs: 1_000, unknownRetryMaxDelayMs: 4_000 };
  const steps = unknownRetrySteps('payjs', cadence);
  const order = await stack.order({ provider: 'payjs', state: 'paid', amount: 990, payType: 'micropay' });
  await stack.fault({ provider: 'payjs', call: 'query', kind: 'bad_signature', count: 1_000 });
  const handle = await stack.cancel(order, { cadence });
  expect(handle.workflowId).toBe(cancellationWorkflowId('payjs', order.merchantId, order.orderId));
  await waitForState(stack, handle, (s) => s.stage === 'waiting');

  // The genuine signed notification, exactly as PAYJS posts it, three times.
  const simulator = SIMULATORS.find((s) => s.id === 'payjs')!;
  const notice = simulator.paymentNotification(
    stack.sandbox.sandbox.ctx.store.findByOrderId('payjs', order.orderId)!,
    stack.sandbox.sandbox.ctx,
  );
  const answers: { status: number; text: string }[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await pause(700);
    answers.push(await http('POST', `${api.url}/notify/payjs`, { headers: notice.headers, body: notice.body }));
  }
  expect(answers.map((a) => ({ status: a.status, text: a.text }))).toEqual(
    Array(3).fill({ status: 200, text: 'success' }),
  );

  const inReview = await waitForState(stack, handle, (s) => s.stage === 'needs_review');
  await clearFaults(stack);
  const calls = await timedCalls(handle);
  await handle.terminate('test over');

  // The policy's own calls: 4 untrusted answers spaced by the backoff, then reverse as the last resort, 3 times.
  expect(counted(calls).map((c) => c.call)).toEqual([
    ...Array(4).fill('queryOrder'),
    'reverseOrder',
    'queryOrder',
    'reverseOrder',
    'queryOrder',
    'reverseOrder',
    'queryOrder',
  ]);
  expect(shorterThan(gaps(counted(calls), 'queryOrder'), steps)).toEqual([]);
  expect(inReview.review?.reason).toContain('reverse already tried 3 times');
  // The deliveries brought a query forward, never more than one per backoff step.
  expect(calls.some((c) => c.byNotification)).toBe(true);
  expect(broughtForwardPerStep(calls).every((n) => n <= 1)).toBe(true);
  // The receiver names the notice by its body's hash: three deliveries, one notice, woken once.
  const bodyHash = createHash('sha256').update(notice.body, 'utf8').digest('hex');
  expect(inReview.notices).toEqual([expect.objectContaining({ id: bodyHash, deliveries: 3 })]);
  expect(calls.filter((c) => c.byNotification)).toHaveLength(1);
  expect(await stack.ledgerFor(order.orderId)).toMatchObject({ paid: 990, returned: 990, overReturned: false });
});
