import type { z } from 'zod';

/**
 * Reasons worded for someone editing an environment file. Passed to zod as a per-parse
 * error map, so a message a schema sets itself still wins. Never quotes the input:
 * `loadConfig` decides whether a value may be shown.
 */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  // An unset variable fails whatever check comes first (type, enum, ...): say it plainly.
  if (issue.input === undefined && issue.code !== 'custom') return 'required';
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.expected === 'int') return 'must be an integer';
      return `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return describeBound('at least', issue.origin, issue.minimum, issue.inclusive !== false);
    case 'too_big':
      return describeBound('at most', issue.origin, issue.maximum, issue.inclusive !== false);
    case 'invalid_format':
      if (issue.format === 'regex' && issue.pattern !== undefined) return `must match ${issue.pattern}`;
      return issue.format === 'url' ? 'must be a URL' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
}

function describeBound(direction: 'at least' | 'at most', origin: string, bound: number | bigint, inclusive: boolean): string {
  const strictly = inclusive ? '' : direction === 'at least' ? 'more than ' : 'less than ';
  const limit = inclusive ? `${direction} ${bound}` : `${strictly}${bound}`;
  switch (origin) {
    case 'string':
      return `must be ${limit} characters long`;
    case 'array':
    case 'set':
      return `must list ${limit} ${bound === 1 ? 'entry' : 'entries'}`;
    default:
      return `must be ${limit}`;
  }
}
