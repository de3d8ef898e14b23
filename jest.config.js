/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; with isolatedModules in
  // tsconfig.json ts-jest only transpiles each file here.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // marked's main entry is an ES module; its UMD build is the same code for Jest's CommonJS.
  moduleNameMapper: { '^marked$': '<rootDir>/node_modules/marked/lib/marked.umd.js' },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
