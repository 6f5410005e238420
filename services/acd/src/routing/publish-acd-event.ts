import { type EventPublisher, type Published } from '@lianluo/messaging';
import { contextOfTraceparent } from '@lianluo/observability';
import type { AcdEvent } from './outbox-event';

/**
 * Publishes an event an outbox held in the trace it belongs to (AcdEvent.traceparent), not
 * in the trace of whatever happens to relay it: a timer, another contact's command.
 */
export function publishAcdEvent(publisher: EventPublisher, event: AcdEvent): Promise<Published> {
  return publisher.publish(event.definition, event.message, { traceContext: contextOfTraceparent(event.traceparent) });
}
