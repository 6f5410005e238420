import { type DescMessage, type MessageShape, toBinary } from '@bufbuild/protobuf';
import { type EventDefinition } from '@lianluo/contracts';
import { type Context, context } from '@opentelemetry/api';
import { describeViolations } from './message-codec';
import { type MessagingConnection } from './messaging-connection';
import { MessagingMetrics } from './messaging.metrics';
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

/** Publishes typed events into their domain's JetStream stream, de-duplicated by event id. */
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
    const headers = headersWithTrace(options.traceContext ?? context.active());
    headers.set(MESSAGE_TYPE_HEADER, definition.schema.typeName);
    const ack = await this.connection.js.publish(subject, toBinary(definition.schema, message), {
      msgID: definition.idOf(message),
      headers,
    });
    this.metrics.published.inc({ domain: definition.domain, name: definition.name, duplicate: String(ack.duplicate) });
    return { subject, sequence: ack.seq, duplicate: ack.duplicate };
  }
}
