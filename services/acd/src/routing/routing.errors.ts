import { ErrorKind } from '@lianluo/contracts';
import { CommandFailure } from '@lianluo/messaging';
import { InvalidInput } from '../validation/invalid-input';
import { RoutingError, type RoutingErrorKind } from './routing-error';

const NOT_FOUND: readonly RoutingErrorKind[] = ['unknown-queue', 'unknown-agent', 'unknown-contact', 'unknown-skill', 'unknown-callback', 'unknown-code'];

/** `requiredSkills.billing` → `required_skills.billing`: domain fields as the proto names them. */
export function protoFieldOf(field: string): string {
  return field
    .split('.')
    .map((segment) => segment.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))
    .join('.');
}

/**
 * The typed reply for what a routing command threw: bad input is INVALID_ARGUMENT and
 * names the field; an unknown queue, agent, contact, skill or callback is NOT_FOUND and names the
 * field; a refusal by the live state (agent busy, not offered...) is FAILED_PRECONDITION;
 * a Redis that does not answer is UNAVAILABLE. `path` is where the command's message
 * holds the domain input (`contact.` for enqueue_contact). Anything else is a bug and
 * goes on as it is (answered as INTERNAL and logged).
 */
export function commandFailureOf(error: unknown, path = ''): unknown {
  if (error instanceof CommandFailure) return error;
  if (error instanceof InvalidInput) {
    const first = error.problems[0];
    const field = first === undefined || first.field === '(input)' ? path.replace(/\.$/, '') : path + protoFieldOf(first.field);
    const problems = error.problems.map((problem) => ({ field: problem.field, reason: problem.reason, line: problem.line ?? 0, column: problem.column ?? 0 }));
    return new CommandFailure(ErrorKind.INVALID_ARGUMENT, error.message, field, problems);
  }
  if (error instanceof RoutingError) {
    // expected_version is a field of the command itself, not of the input under `path`.
    const field = error.field === undefined ? '' : error.field === 'expectedVersion' ? 'expected_version' : path + protoFieldOf(error.field);
    return new CommandFailure(NOT_FOUND.includes(error.kind) ? ErrorKind.NOT_FOUND : ErrorKind.FAILED_PRECONDITION, `${error.kind}: ${error.message}`, field);
  }
  const name = (error as Error | undefined)?.name ?? '';
  if (name === 'MaxRetriesPerRequestError' || /Connection is closed|ECONNREFUSED|ECONNRESET/.test(String((error as Error)?.message))) {
    return new CommandFailure(ErrorKind.UNAVAILABLE, `Redis did not answer: ${(error as Error).message}`);
  }
  return error;
}
