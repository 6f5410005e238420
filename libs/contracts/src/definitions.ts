import { type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { type CommandError } from './gen/lianluo/common/v1/error_pb';

/** A field that breaks its rule, named by its path in the message (e.g. `call.call_id`). */
export interface FieldViolation {
  readonly field: string;
  readonly reason: string;
}

/**
 * An event of one domain: its schema, the subject name it travels under, and how to read
 * the de-duplication id and tenant from a message (both needed before publishing).
 */
export interface EventDefinition<S extends DescMessage = DescMessage> {
  readonly domain: string;
  /** Past tense: `started`, `answered`. */
  readonly name: string;
  readonly schema: S;
  readonly idOf: (message: MessageShape<S>) => string;
  readonly tenantOf: (message: MessageShape<S>) => string;
  readonly validate: (message: MessageShape<S>) => FieldViolation[];
}

/** The reply of every command: either its result or a typed error. */
export type CommandReplyShape<R> = {
  outcome: { case: 'ok'; value: R } | { case: 'error'; value: CommandError } | { case: undefined; value?: undefined };
};

/** The result type carried in a reply's `ok` case. */
export type ResultOf<S extends DescMessage> =
  MessageShape<S> extends CommandReplyShape<infer R> ? R : never;

/** A command of one domain: request and reply schemas and the subject name (imperative). */
export interface CommandDefinition<Req extends DescMessage = DescMessage, Rep extends DescMessage = DescMessage> {
  readonly domain: string;
  /** Imperative: `answer`, `play`. */
  readonly name: string;
  readonly request: Req;
  readonly reply: Rep;
  readonly idOf: (request: MessageShape<Req>) => string;
  readonly tenantOf: (request: MessageShape<Req>) => string;
  /**
   * For a command only one site's instance can carry out (a call's media gateway): that
   * site. Requests carry it in a header, so the other sites' instances drop the request
   * unread instead of decoding it to find it is not theirs.
   */
  readonly siteOf?: (request: MessageShape<Req>) => string;
  readonly validate: (request: MessageShape<Req>) => FieldViolation[];
}

export function defineEvent<S extends DescMessage>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

export function defineCommand<Req extends DescMessage, Rep extends DescMessage>(
  definition: CommandDefinition<Req, Rep>,
): CommandDefinition<Req, Rep> {
  return definition;
}

/** Collects violations for required string fields; `path` prefixes nested fields. */
export function requireText(values: Record<string, string | undefined>, path = ''): FieldViolation[] {
  return Object.entries(values)
    .filter(([, value]) => !value || value.trim() === '')
    .map(([field]) => ({ field: path + field, reason: 'is required' }));
}
