import { BadRequestException } from '@nestjs/common';
import { type z } from 'zod';

/** A request field that breaks its rule, named by where it is (`path.id`, `body.media.0`). */
export interface RequestProblem {
  readonly field: string;
  readonly reason: string;
}

/**
 * Validates one part of an HTTP request at the edge. A bad request is answered 400 with
 * every problem named: `{ error: 'invalid_request', message, problems: [{ field, reason }] }`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, part: 'path' | 'body' | 'query' | 'header'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems: RequestProblem[] = result.error.issues.map((issue) => ({ field: [part, ...issue.path.map(String)].join('.'), reason: issue.message }));
  throw new BadRequestException({
    error: 'invalid_request',
    message: problems.map((problem) => `${problem.field} ${problem.reason}`).join('; '),
    problems,
  });
}
