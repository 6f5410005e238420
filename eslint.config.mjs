// One lint setup for the whole repository. Module boundaries make `nx graph` the
// architecture diagram: services depend on libs, never on each other.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Services depend on libs, libs on libs: never a service on another. */
const layerConstraints = [
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'libs/contracts/src/gen/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [...layerConstraints, { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:runtime'] }],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.spec.ts', 'libs/testing/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests may use the test harness (scope:dev) besides the runtime libs; services still only libs.
    files: ['**/*.spec.ts', 'services/*/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: layerConstraints,
        },
      ],
    },
  },
  {
    // Benchmarks drive a service from outside, from its build, as the e2e tests do from inside;
    // the chart and image tests (deploy) do the same with the bundles docker/ builds, and the
    // local stack (scripts) with every service's build.
    files: ['bench/**/*.ts', 'deploy/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
);
