/**
 * `rescind worker` without any provider credentials: it stops at once and says how to configure a
 * provider, unless RESCIND_WORKER_RECONCILE_ONLY=true says that this worker runs workflows and
 * reconciliation only (other workers call the providers), which it then announces.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { rescind, startRescind } from '../client/support.js';
import { startTestTemporal } from '../helpers/temporal.js';
import { CLEAN_ENV } from '../helpers/worker-process-env.js';

describe('a worker with no provider configured', () => {
  it('stops (exit 2) before connecting, saying how to configure a provider', async () => {
    // Nothing listens on this address: a worker that tried to connect would fail there instead.
    const res = await rescind(['worker'], { ...CLEAN_ENV, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no provider is configured');
    expect(res.stderr).toContain('PAYJS_*, QFPAY_*, WECHATPAY_* or PINGPP_*');
    expect(res.stderr).toContain('RESCIND_WORKER_RECONCILE_ONLY=true');
  });

  it('refuses a value of RESCIND_WORKER_RECONCILE_ONLY that is not a boolean, naming it', async () => {
    const res = await rescind(['worker'], {
      ...CLEAN_ENV,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      RESCIND_WORKER_RECONCILE_ONLY: 'maybe',
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('RESCIND_WORKER_RECONCILE_ONLY:');
  });
});

describe('RESCIND_WORKER_RECONCILE_ONLY=true', () => {
  let temporal: TestWorkflowEnvironment;
  beforeAll(async () => {
    temporal = await startTestTemporal();
  });
  afterAll(async () => {
    await temporal?.teardown();
  });

  it('runs without providers and says so explicitly', async () => {
    const env = {
      ...CLEAN_ENV,
      TEMPORAL_ADDRESS: temporal.address,
      RESCIND_TASK_QUEUE: 'reconcile-only-test',
      RESCIND_WORKER_RECONCILE_ONLY: 'true',
    };
    const worker = await startRescind(['worker'], env, /\[rescind\] worker on .*\n/);
    expect(worker.output()).toContain('workflows and reconciliation only (RESCIND_WORKER_RECONCILE_ONLY=true)');
    expect(await worker.stop()).toBe(0);
  });
});
