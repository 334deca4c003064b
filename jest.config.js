/** Jest in native ESM mode with ts-jest (see docs/architecture.md, "Stack"). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120_000,
  // Temporal workers and servers are heavy: two cores, so run a few files at once.
  maxWorkers: 2,
};
