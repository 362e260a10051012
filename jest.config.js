/** One jest run covers every workspace; each project keeps its tests beside its code. */
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

module.exports = {
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
  ],
};
