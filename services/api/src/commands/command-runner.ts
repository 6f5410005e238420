import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { type CommandDefinition, type CommandError, ErrorKind, type ResultOf } from '@lianluo/contracts';
import { CommandClient } from '@lianluo/messaging';
import { BadRequestException, ConflictException, GoneException, HttpException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../api.config';

/** A command's field path (`callback.max_attempts`) as the api's JSON spells it (`callback.maxAttempts`). */
export function camelCaseField(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Command fields the api never takes from a body: the contact or callback a path names, the
 * agent a token names. A NOT_FOUND about them is a 404; about any other field, which the body
 * gave (a queue, a skill), the request is wrong: 400 naming it.
 */
const ADDRESS_FIELDS = new Set(['contact_id', 'callback_id', 'agent_id', 'by_agent_id', 'expected_version']);

/**
 * The problems of a refused document, each at its place (`configuration.yaml:12:5`): the
 * field is the document's path, line and column count from 1.
 */
function documentProblems(error: CommandError, document: string) {
  return error.problems.map(({ field, reason, line, column }) => ({ field, reason, line, column, at: `${document}:${line}:${column}` }));
}

/**
 * A service's command error in HTTP's terms. Domain refusals keep the service's words (they
 * name the field and the rule, never internals); anything internal becomes a plain 500/503.
 * `bodyField` spells a refused command field as the request body does.
 */
export function httpErrorOfCommand(error: CommandError, bodyField: (field: string) => string = camelCaseField, document?: string): HttpException {
  if (error.kind === ErrorKind.FAILED_PRECONDITION && error.field === 'expected_version') {
    return new HttpException({ error: 'precondition_failed', message: 'the item changed since it was read (If-Match); read it again' }, 412);
  }
  if (error.kind === ErrorKind.INVALID_ARGUMENT && document !== undefined && error.problems.length > 0) {
    const problems = documentProblems(error, document);
    return new BadRequestException({ error: 'invalid_request', message: problems.map((p) => `${p.at}: ${p.field} ${p.reason}`).join('; '), problems });
  }
  const inBody = error.field !== '' && !ADDRESS_FIELDS.has(error.field);
  const problems = inBody ? { problems: [{ field: `body.${bodyField(error.field)}`, reason: error.message }] } : {};
  const body = (code: string) => ({ error: code, message: error.message, ...problems });
  switch (error.kind) {
    case ErrorKind.INVALID_ARGUMENT:
      return new BadRequestException(body('invalid_request'));
    case ErrorKind.NOT_FOUND:
      return inBody ? new BadRequestException(body('invalid_request')) : new NotFoundException(body('not_found'));
    case ErrorKind.GONE:
      return new GoneException(body('gone'));
    case ErrorKind.FAILED_PRECONDITION:
      return new ConflictException(body('conflict'));
    case ErrorKind.UNAVAILABLE:
    case ErrorKind.TIMEOUT:
    case ErrorKind.DEADLINE_EXCEEDED:
      return new ServiceUnavailableException({ error: 'unavailable', message: 'the service did not answer in time; try again' });
    default:
      return new HttpException({ error: 'internal', message: 'the request could not be completed' }, 500);
  }
}

/**
 * Sends a command on behalf of a request and returns its result, or throws the HTTP error its
 * refusal means. `idempotencyKey` (the request's Idempotency-Key) makes a retried request the
 * same command, which the services answer once.
 */
@Injectable()
export class CommandRunner {
  private readonly logger = new Logger(CommandRunner.name);

  constructor(
    private readonly client: CommandClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async run<Req extends DescMessage, Rep extends DescMessage>(
    definition: CommandDefinition<Req, Rep>,
    fields: Omit<MessageInitShape<Req>, 'commandId'>,
    idempotencyKey?: string,
    /** The request body's name of a command field the service refused, when it is not the camelCased path. */
    bodyField?: (field: string) => string,
    /** The name of the document the body is (a YAML import), for refusals that place problems in it. */
    document?: string,
  ): Promise<ResultOf<Rep>> {
    const commandId = `api:${idempotencyKey ?? randomUUID()}`;
    const request = create(definition.request, { ...fields, commandId } as unknown as MessageInitShape<Req>);
    const outcome = await this.client.request(definition, request, { timeoutMs: this.config.COMMAND_TIMEOUT_MS });
    if (outcome.ok) return outcome.value;
    if (outcome.error.kind === ErrorKind.INTERNAL || outcome.error.kind === ErrorKind.UNSPECIFIED) {
      this.logger.error({ command: `${definition.domain}.${definition.name}`, error: outcome.error.message }, 'command failed');
    }
    throw httpErrorOfCommand(outcome.error, bodyField, document);
  }
}
