/** The runtime logger: expected polling and idle-poller warnings are dropped, everything else is one line. */
import type { LogEntry } from '@temporalio/worker';
import { createRuntimeLogger, formatEntry, isExpectedNoise } from '../../worker/logger.js';

const entry = (message: string, meta: Record<string, unknown> = {}, level: LogEntry['level'] = 'WARN'): LogEntry => ({
  level,
  message,
  meta,
  timestampNanos: 1_796_155_434_000_000_000n,
});

describe('runtime logger', () => {
  it('drops in-progress polling and idle workflow pollers, keeps real failures', () => {
    expect(
      isExpectedNoise(
        entry('Activity failed', { error: { type: 'in_progress', message: 'still in progress (respcd=1143)' } }),
      ),
    ).toBe(true);
    expect(isExpectedNoise(entry('No workflows registered, not polling for workflow tasks'))).toBe(true);
    expect(isExpectedNoise(entry('Activity failed', { error: { type: 'transient', message: 'ECONNRESET' } }))).toBe(
      false,
    );
    expect(isExpectedNoise(entry('Activity failed', { error: new Error('no type') }))).toBe(false);
    expect(isExpectedNoise(entry('Workflow task failed'))).toBe(false);
  });

  it('writes one line with the ids an operator searches for', () => {
    const line = formatEntry(
      entry('Activity failed', {
        workflowId: 'rescind:qfpay:M:O1',
        activityType: 'closeOrder',
        attempt: 2,
        taskQueue: 'rescind-qfpay',
        error: { type: 'rate_limited', message: 'qfpay: close: rate limited by the provider' },
      }),
    );
    expect(line).toBe(
      '2026-12-01T20:03:54.000Z [WARN] Activity failed workflow=rescind:qfpay:M:O1 activity=closeOrder attempt=2 queue=rescind-qfpay error=rate_limited: qfpay: close: rate limited by the provider',
    );
  });

  it('honours the level and filters before writing', () => {
    const lines: string[] = [];
    const logger = createRuntimeLogger('WARN', (l) => lines.push(l));
    logger.info('Worker state changed');
    logger.warn('Activity failed', { error: { type: 'in_progress', message: 'polling' } });
    logger.error('Workflow task failed', { workflowId: 'w1' });
    expect(lines).toEqual([expect.stringMatching(/\[ERROR\] Workflow task failed workflow=w1$/)]);
  });
});
