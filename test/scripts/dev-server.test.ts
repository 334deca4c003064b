/**
 * The dev-server launcher behind `npm start`: real `temporal server start-dev` from the
 * project-local binary, search attributes registered, data kept across restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../scripts/dev-server.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

const dir = mkdtempSync(join(tmpdir(), 'rescind-dev-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('starts with the UI and search attributes, and keeps data across a restart', async () => {
  const dbFile = join(dir, 'dev.sqlite');
  const first = await startDevServer({ dbFile });
  let workflowId = '';
  try {
    expect(first.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ui = await fetch(first.uiUrl!);
    expect(ui.status).toBe(200);

    const connection = await Connection.connect({ address: first.address });
    const attrs = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of SEARCH_ATTRIBUTES) expect(Object.keys(attrs.customAttributes ?? {})).toContain(key.name);

    // A run started before the restart (no worker: it simply stays open).
    const client = new Client({ connection });
    workflowId = `persist-${Date.now()}`;
    await client.workflow.start('cancelOrder', { taskQueue: 'nobody-listens', workflowId, args: [] });
    await connection.close();
  } finally {
    await first.stop();
  }

  const second = await startDevServer({ dbFile });
  try {
    const connection = await Connection.connect({ address: second.address });
    const client = new Client({ connection });
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    await client.workflow.getHandle(workflowId).terminate('test done');
    await connection.close();
  } finally {
    await second.stop();
  }
});
