import type { Attributes } from '@opentelemetry/api';

/** What a span did with a message (OpenTelemetry's `messaging.operation.type`). */
export type MessagingOperation = 'publish' | 'send' | 'process';

/**
 * The OpenTelemetry messaging attributes of a span about one message: the subject it went
 * to, what the span did with it and, where there is one, its id (`Nats-Msg-Id`) and the
 * consumer group that took it (a durable consumer, or the command servers' queue group).
 */
export function messagingSpanAttributes(
  operation: MessagingOperation,
  subject: string,
  message: { readonly id?: string; readonly consumerGroup?: string } = {},
): Attributes {
  return {
    'messaging.system': 'nats',
    'messaging.operation.type': operation,
    'messaging.destination.name': subject,
    ...(message.id ? { 'messaging.message.id': message.id } : {}),
    ...(message.consumerGroup ? { 'messaging.consumer.group.name': message.consumerGroup } : {}),
  };
}
