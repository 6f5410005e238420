// Shared Jest settings: TypeScript through SWC (with decorator metadata for Nest),
// workspace libraries resolved to their sources so tests never need a build first.
const path = require('node:path');

/** @returns {import('jest').Config} */
module.exports = function preset(projectDir) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@lianluo/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    reporters: ['default', path.join(__dirname, 'jest.summary-reporter.js')],
  };
};
