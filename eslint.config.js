// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Imports of a higher layer, refused with a message naming the rule. */
const upward = (folder) => [
  { group: [`**/${folder}/**`], message: `This layer must not import ${folder}/ (dependencies point down).` },
];

/** One restricted-imports rule per layer (a later rule for the same files would replace, not add to, it). */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.temporal/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Forgetting to await an activity, a timer or a provider call is a real bug here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Dependencies point down: worker → client, activities, workflows, platform → domain (docs/architecture.md).
  layer(['activities/**/*.ts'], [...upward('worker'), ...upward('client')]),
  layer(['client/**/*.ts', 'sandbox/**/*.ts', 'platform/**/*.ts'], upward('worker')),
  // The domain is the vocabulary everyone shares: it imports nothing outside itself.
  layer(['domain/**/*.ts'], [{ regex: String.raw`^(?!\./)`, message: 'domain/ imports nothing outside itself.' }]),
  // Workflow code is replayed: it must stay deterministic and free of I/O.
  layer(
    ['workflows/**/*.ts'],
    [
      ...upward('worker'),
      ...upward('client'),
      ...upward('platform'),
      { group: ['**/activities/**'], allowTypeImports: true, message: 'Workflows import only types from activities/.' },
    ],
    [
      ...nodeBuiltins.map((name) => ({
        name,
        message: 'Workflow code cannot use Node built-ins (it runs in the deterministic sandbox).',
      })),
      { name: 'got', message: 'Workflow code does no I/O: call an activity.' },
    ],
  ),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
