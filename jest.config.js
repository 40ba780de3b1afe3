/**
 * One jest run for the whole monorepo. Test layers by suffix:
 *   *.test.ts      unit, no I/O
 *   *.int.test.ts  one subgraph on a real database
 *   *.e2e.test.ts  the whole supergraph through the gateway over HTTP
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/schema'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/shared/testing/src/globalSetup.ts',
  testTimeout: 60000,
  // Each integration test file starts its own database and servers; two workers fit 2 cores.
  maxWorkers: 2,
};
