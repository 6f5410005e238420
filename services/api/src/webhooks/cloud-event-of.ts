import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import { type EventDefinition } from '@lianluo/contracts';
import { eventTypeOf } from './webhook-event-types';
import { orderingKeyOf } from './ordering-key-of';

/** An event as every subscription to its type receives it. */
export interface WebhookEvent {
  readonly tenant: string;
  readonly eventId: string;
  readonly eventType: string;
  /** Its CloudEvents subject: deliveries of one subject are serialised per subscription. */
  readonly subject: string;
  /** When it happened (its `occurred_at`; when it arrived, for an event without one). */
  readonly occurredAt: Date;
  /** The CloudEvent, JSON text (structured mode), signed and sent as it is on every attempt. */
  readonly body: string;
}

/**
 * The CloudEvents 1.0 JSON form of a domain event: `id` is the event's de-duplication id,
 * `type` its `<domain>.<name>`, `data` the message in protobuf's JSON mapping.
 */
export function cloudEventOf<S extends DescMessage>(definition: EventDefinition<S>, message: MessageShape<S>, arrivedAt: Date): WebhookEvent {
  const tenant = definition.tenantOf(message);
  const eventId = definition.idOf(message);
  const eventType = eventTypeOf(definition);
  const subject = orderingKeyOf(message, eventId);
  const timestamp = (message as { occurredAt?: Timestamp }).occurredAt;
  const occurredAt = timestamp ? timestampDate(timestamp) : arrivedAt;
  const cloudEvent = {
    specversion: '1.0',
    id: eventId,
    source: `/tenants/${tenant}/${definition.domain}`,
    type: eventType,
    subject,
    time: occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: toJson(definition.schema, message),
  };
  return { tenant, eventId, eventType, subject, occurredAt, body: JSON.stringify(cloudEvent) };
}
