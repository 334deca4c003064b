import { deploymentOptions, describeVersioning, readWorkerVersioning } from '../../worker/versioning.js';
import { KNOWN_ENV_VARS } from '../../worker/config.js';

describe('readWorkerVersioning', () => {
  it('joins no deployment without a build id', () => {
    const problems: string[] = [];
    expect(readWorkerVersioning({}, 'rescind', problems)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(describeVersioning(undefined)).toContain('no deployment (RESCIND_WORKER_BUILD_ID unset)');
  });

  it("joins the task queue's deployment as the build, auto-upgrading its runs", () => {
    const problems: string[] = [];
    const versioning = readWorkerVersioning({ RESCIND_WORKER_BUILD_ID: ' 8928067 ' }, 'payments', problems);
    expect(problems).toEqual([]);
    expect(versioning).toEqual({ deploymentName: 'payments', buildId: '8928067' });
    expect(deploymentOptions(versioning!)).toEqual({
      useWorkerVersioning: true,
      version: { deploymentName: 'payments', buildId: '8928067' },
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
    expect(describeVersioning(versioning)).toBe(
      'deployment payments, build 8928067: takes tasks while this build is current (rescind deployment set-current 8928067)',
    );
  });

  it('takes the deployment named by RESCIND_WORKER_DEPLOYMENT', () => {
    const problems: string[] = [];
    expect(
      readWorkerVersioning(
        { RESCIND_WORKER_BUILD_ID: 'v2', RESCIND_WORKER_DEPLOYMENT: 'rescind-eu' },
        'rescind',
        problems,
      ),
    ).toEqual({ deploymentName: 'rescind-eu', buildId: 'v2' });
  });

  it('names what to fix: a deployment without a build, a build id too long', () => {
    const problems: string[] = [];
    expect(readWorkerVersioning({ RESCIND_WORKER_DEPLOYMENT: 'rescind-eu' }, 'rescind', problems)).toBeUndefined();
    expect(problems).toEqual([
      'RESCIND_WORKER_DEPLOYMENT is set but RESCIND_WORKER_BUILD_ID is not: set the build id too (e.g. the commit), or unset both',
    ]);
    const tooLong: string[] = [];
    readWorkerVersioning({ RESCIND_WORKER_BUILD_ID: 'x'.repeat(256) }, 'rescind', tooLong);
    expect(tooLong).toHaveLength(1);
    expect(tooLong[0]).toMatch(/^RESCIND_WORKER_BUILD_ID: .*255/);
  });

  it('is among the variables the configuration knows', () => {
    expect(KNOWN_ENV_VARS).toEqual(expect.arrayContaining(['RESCIND_WORKER_BUILD_ID', 'RESCIND_WORKER_DEPLOYMENT']));
  });
});
