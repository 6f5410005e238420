import { type DescMessage, type MessageShape, toBinary } from '@bufbuild/protobuf';
import { type EventDefinition } from '@lianluo/contracts';
import { type Context, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { describeViolations } from './message-codec';
import { type MessagingConnection } from './messaging-connection';
import { MessagingMetrics } from './messaging.metrics';
import { messagingSpanAttributes } from './messaging-span-attributes';
import { subjectOf } from './subjects';
import { headersWithTrace } from './trace-headers';

export const MESSAGE_TYPE_HEADER = 'Lianluo-Type';

export interface PublishOptions {
  /** Trace context the event belongs to (e.g. the call's); the active context otherwise. */
  readonly traceContext?: Context;
}

export interface Published {
  readonly subject: string;
  readonly sequence: number;
  /** The server had already stored an event with this id: nothing new was written. */
  readonly duplicate: boolean;
}

/**
 * Publishes typed events into their domain's JetStream stream, de-duplicated by event id.
 * Each publish is a producer span in the event's trace, whose traceparent the event carries.
 */
export class EventPublisher {
  constructor(
    private readonly connection: MessagingConnection,
    private readonly metrics = new MessagingMetrics(),
  ) {}

  async publish<S extends DescMessage>(
    definition: EventDefinition<S>,
    message: MessageShape<S>,
    options: PublishOptions = {},
  ): Promise<Published> {
    const violations = definition.validate(message);
    if (violations.length > 0) {
      throw new Error(`refusing to publish an invalid ${definition.domain}.${definition.name}: ${describeViolations(violations)}`);
    }
    await this.connection.ensureStream(definition.domain);
    const subject = subjectOf(this.connection.namespace, definition.tenantOf(message), definition.domain, 'event', definition.name);
    const msgID = definition.idOf(message);
    const parent = options.traceContext ?? context.active();
    const attributes = messagingSpanAttributes('publish', subject, { id: msgID });
    const span = trace.getTracer('@lianluo/messaging').startSpan(`publish ${definition.domain}.${definition.name}`, { kind: SpanKind.PRODUCER, attributes }, parent);
    try {
      const headers = headersWithTrace(trace.setSpan(parent, span));
      headers.set(MESSAGE_TYPE_HEADER, definition.schema.typeName);
      const ack = await this.connection.js.publish(subject, toBinary(definition.schema, message), { msgID, headers });
      this.metrics.published.inc({ domain: definition.domain, name: definition.name, duplicate: String(ack.duplicate) });
      return { subject, sequence: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }
}
