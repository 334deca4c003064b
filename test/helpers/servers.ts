/**
 * A real dev server and the sandbox for the tests of one file or describe block: started before
 * its tests, stopped after them. Read them inside the tests (`servers.temporal`), once started.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestSandbox, type TestSandbox } from './sandbox.js';
import { startTestTemporal } from './temporal.js';

export interface TestServers {
  temporal: TestWorkflowEnvironment;
  sandbox: TestSandbox;
}

export function useTestServers(): TestServers {
  const servers = {} as TestServers;
  beforeAll(async () => {
    servers.temporal = await startTestTemporal();
    servers.sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await servers.sandbox?.close();
    await servers.temporal?.teardown();
  });
  return servers;
}
