import type { ConfigProblem } from './config-problem';

/**
 * The environment does not describe a valid configuration. The message lists every
 * problem, one variable per line, so an operator fixes them all in one go.
 */
export class ConfigError extends Error {
  readonly kind = 'config-invalid' as const;

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      [`invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):`]
        .concat(problems.map((problem) => `  ${problem.variable}: ${problem.reason}`))
        .join('\n'),
    );
    this.name = 'ConfigError';
  }
}
