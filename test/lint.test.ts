/** The lint rule that keeps workflow code deterministic actually fires. */
import { ESLint } from 'eslint';

const eslint = new ESLint();
const lintWorkflow = async (code: string): Promise<string[]> => {
  // Lint the text as if it were an existing workflow file, so the type-aware project service knows it.
  const [result] = await eslint.lintText(code, { filePath: 'workflows/validation.ts' });
  const parseErrors = (result?.messages ?? []).filter((m) => m.ruleId === null);
  if (parseErrors.length > 0) throw new Error(parseErrors.map((m) => m.message).join('; '));
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
};

describe('workflow import rule', () => {
  it('rejects Node built-ins, got and runtime imports from activities/', async () => {
    expect(await lintWorkflow("import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).toEqual([
      expect.stringContaining('Node built-ins'),
    ]);
    expect(await lintWorkflow("import fs from 'fs';\nexport const f = fs;\n")).toEqual([
      expect.stringContaining('Node built-ins'),
    ]);
    expect(await lintWorkflow("import got from 'got';\nexport const g = got;\n")).toEqual([
      expect.stringContaining('activity'),
    ]);
    expect(
      await lintWorkflow(
        "import { createActivities } from '../activities/index.js';\nexport const c = createActivities;\n",
      ),
    ).toEqual([expect.stringContaining('only types')]);
  });

  it('allows type-only imports from activities/ and @temporalio/workflow', async () => {
    expect(
      await lintWorkflow(
        "import type { OrderRef } from '../domain/index.js';\nimport { sleep } from '@temporalio/workflow';\nexport const s = sleep;\nexport type O = OrderRef;\n",
      ),
    ).toEqual([]);
  });
});
