import type { z } from 'zod';

/** One thing wrong with an input: the field (dotted path) and why. */
export interface InputProblem {
  readonly field: string;
  readonly reason: string;
  /** Where a YAML document holds the field (1-based), when the input was one. */
  readonly line?: number;
  readonly column?: number;
}

function describe({ field, reason, line, column }: InputProblem): string {
  return line === undefined ? `${field}: ${reason}` : `${line}:${column ?? 0} ${field}: ${reason}`;
}

/**
 * A command's input does not validate. `problems` names every bad field, so a caller
 * (or the admin fixing a YAML file) sees them all at once.
 */
export class InvalidInput extends Error {
  readonly kind = 'invalid-input' as const;

  constructor(
    readonly what: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(`invalid ${what}: ${problems.map(describe).join('; ')}`);
    this.name = 'InvalidInput';
  }
}

/** Parses `input` with `schema`, or throws InvalidInput naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(
    what,
    result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
      reason: issue.message,
    })),
  );
}
