/**
 * A real dev server and the sandbox for the tests of one file or describe block: started before
 * its tests, stopped after them. Read them inside the tests (`servers.temporal`), once started.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApiServer, type ApiServer } from '../../client/api/server.js';
import { loadConfig } from '../../worker/config.js';
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

/** The environment that points the `rescind` command at these servers, on `taskQueue`. */
export function cliEnvFor(servers: TestServers, taskQueue: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: servers.temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    RESCIND_TASK_QUEUE: taskQueue,
  };
}

/** Rescind's HTTP API for these servers, on `taskQueue`: a free loopback port, no tokens, no log. */
export function startApiFor(servers: TestServers, taskQueue: string): Promise<ApiServer> {
  return startApiServer({
    config: { ...loadConfig({ ...servers.sandbox.env, TEMPORAL_ADDRESS: servers.temporal.address }), taskQueue },
    client: servers.temporal.client,
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
  });
}
