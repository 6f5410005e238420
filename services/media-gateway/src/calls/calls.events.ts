import { type DescMessage, type MessageInitShape, create } from '@bufbuild/protobuf';
import { type Timestamp, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type EventDefinition } from '@lianluo/contracts';
import { EventPublisher } from '@lianluo/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { type LiveCall } from './live-call';

const PUBLISH_ATTEMPTS = 8;

/** Publishes call events with the call's trace context, retrying while NATS is away. */
@Injectable()
export class CallEventsNotifier {
  private readonly logger = new Logger(CallEventsNotifier.name);

  constructor(private readonly publisher: EventPublisher) {}

  async publish<S extends DescMessage>(
    definition: EventDefinition<S>,
    call: Pick<LiveCall, 'ref' | 'traceContext'>,
    eventId: string,
    occurredAt: Timestamp,
    fields: Omit<MessageInitShape<S>, 'eventId' | 'call' | 'occurredAt' | '$typeName'>,
  ): Promise<void> {
    const message = create(definition.schema, { ...fields, eventId, call: call.ref, occurredAt } as unknown as MessageInitShape<S>);
    try {
      await whileNatsIsAway(() => this.publisher.publish(definition, message, { traceContext: call.traceContext }));
    } catch (error) {
      this.logger.error({ event: `${definition.domain}.${definition.name}`, eventId, err: error }, 'call event could not be published');
      throw error;
    }
  }
}

/** Runs a write to NATS again, backing off, until it succeeds or a few seconds' attempts have failed. */
export async function whileNatsIsAway<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= PUBLISH_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
    }
  }
}

/** ARI timestamps look like 2026-11-23T06:30:00.123+0000. */
export function timestampOf(ariTimestamp: string | undefined): Timestamp {
  const parsed = ariTimestamp ? new Date(ariTimestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : new Date();
  return timestampFromDate(Number.isNaN(parsed.getTime()) ? new Date() : parsed);
}
