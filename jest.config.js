/** Jest: TypeScript through @swc/jest (type-checking runs once, as `tsc --noEmit`, in `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 30000,
};
