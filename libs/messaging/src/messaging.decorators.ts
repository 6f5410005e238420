import { type CommandDefinition, type EventDefinition } from '@lianluo/contracts';
import { SetMetadata } from '@nestjs/common';

export const COMMAND_HANDLER = 'lianluo:command-handler';
export const EVENT_HANDLER = 'lianluo:event-handler';
export const UNKNOWN_EVENT_HANDLER = 'lianluo:unknown-event-handler';

export interface EventHandlerMetadata {
  readonly definitions: readonly EventDefinition[];
  readonly durable: string;
  /** See EventSubscription.maxAckPending: 1 for a consumer that must keep the stream's order. */
  readonly maxAckPending?: number;
}

/**
 * Marks a provider method as the handler of one command. The method receives the decoded,
 * validated request and a CommandContext, and returns the result message or throws a
 * CommandFailure.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CommandHandler = (definition: CommandDefinition<any, any>) => SetMetadata(COMMAND_HANDLER, definition);

/**
 * Marks a provider method as the handler of one or more events of one domain, fed by the
 * durable consumer `durable`. Handlers must be idempotent: events may come again.
 */
export const EventHandler = (definitions: EventDefinition | readonly EventDefinition[], options: { durable: string; maxAckPending?: number }) =>
  SetMetadata(EVENT_HANDLER, {
    definitions: Array.isArray(definitions) ? definitions : [definitions],
    durable: options.durable,
    ...(options.maxAckPending !== undefined && { maxAckPending: options.maxAckPending }),
  } satisfies EventHandlerMetadata);

/**
 * Marks a provider method as the taker of the events that the @EventHandler of the same
 * provider and durable consumer has no definition for (a newer contract than this build):
 * it receives them undecoded (UnknownEvent) instead of their being acknowledged unread.
 */
export const UnknownEventHandler = (options: { durable: string }) => SetMetadata(UNKNOWN_EVENT_HANDLER, options.durable);
