/** One jest run covers every workspace; each project keeps its tests beside its code. */
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const chaincodeFromSource = (root) => ({
  '^@scf/chaincode$': `${root}/chaincode/src/index.ts`,
  '^@scf/chaincode/engine$': `${root}/chaincode/src/engine/index.ts`,
});

module.exports = {
  // A suite's own deadline, not a speed check: on a loaded 2-core machine building a world can
  // take more than jest's 5 s default, and speed is measured by `npm run bench` only.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      displayName: 'chaincode',
      rootDir: '<rootDir>/chaincode',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsJest,
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
    {
      displayName: 'gateway',
      rootDir: '<rootDir>/gateway',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: tsJest,
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/../chaincode/test/setup-env.ts'],
      moduleNameMapper: chaincodeFromSource('<rootDir>/..'),
    },
    {
      displayName: 'network',
      rootDir: '<rootDir>/test/network',
      testMatch: ['<rootDir>/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/../../chaincode/test/setup-env.ts'],
      moduleNameMapper: chaincodeFromSource('<rootDir>/../..'),
    },
    {
      displayName: 'bench',
      rootDir: '<rootDir>/test/bench',
      testMatch: ['<rootDir>/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
      testEnvironment: 'node',
      setupFiles: ['<rootDir>/../../chaincode/test/setup-env.ts'],
      moduleNameMapper: chaincodeFromSource('<rootDir>/../..'),
    },
  ],
};
