import { KNOWN_ENV_VARS } from '../../worker/config.js';
import { describeHeapLimit, readWorkerTuning, WORKER_HEAP_MIB } from '../../worker/tuning.js';

describe('readWorkerTuning', () => {
  it('bounds the workflow cache by default', () => {
    const problems: string[] = [];
    expect(readWorkerTuning({}, problems)).toEqual({
      maxCachedWorkflows: 200,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 100,
      shutdownGraceTime: 30_000,
    });
    expect(problems).toEqual([]);
  });

  it('takes each value from its variable, and names a bad one', () => {
    const problems: string[] = [];
    const tuning = readWorkerTuning(
      {
        RESCIND_WORKER_MAX_CACHED_WORKFLOWS: '250',
        RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
        RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES: '20',
        RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      },
      problems,
    );
    expect(tuning).toMatchObject({
      maxCachedWorkflows: 250,
      maxConcurrentActivityTaskExecutions: 20,
      shutdownGraceTime: 5_000,
    });
    expect(problems).toEqual([expect.stringContaining('RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS')]);
  });

  it('is part of the configuration every process validates', () => {
    expect(KNOWN_ENV_VARS).toEqual(
      expect.arrayContaining([
        'RESCIND_WORKER_MAX_CACHED_WORKFLOWS',
        'RESCIND_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
        'RESCIND_WORKER_MAX_CONCURRENT_ACTIVITIES',
        'RESCIND_WORKER_SHUTDOWN_GRACE_SECONDS',
      ]),
    );
  });

  it("names the worker's heap limit, and says how to bound it when node's default is left", () => {
    expect(WORKER_HEAP_MIB).toBe(192);
    expect(describeHeapLimit(240)).toBe('V8 heap limit 240 MiB');
    expect(describeHeapLimit(4144)).toBe(
      'V8 heap limit 4144 MiB (unbounded for a worker: start it with NODE_OPTIONS=--max-old-space-size=192)',
    );
  });
});
