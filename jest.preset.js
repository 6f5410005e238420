// Shared Jest settings: TypeScript through SWC (with decorator metadata for Nest),
// workspace libraries resolved to their sources so tests never need a build first.
const path = require('node:path');

/** ESM-only packages Jest cannot require as they are: compiled to CommonJS like our sources. */
const ESM_PACKAGES = ['jose'];

/** @returns {import('jest').Config} */
module.exports = function preset(projectDir) {
  const swc = [
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
  ];
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': swc,
      [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: swc,
    },
    transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
    moduleNameMapper: {
      '^@lianluo/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    reporters: ['default', path.join(__dirname, 'jest.summary-reporter.js')],
  };
};
