import { type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { ALL_CALL_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { EventConsumer, type MessagingConnection } from '@lianluo/messaging';
import { context, trace } from '@opentelemetry/api';

export interface RecordedEvent {
  readonly name: string;
  readonly callId: string;
  readonly message: MessageShape<DescMessage> & { call?: { callId: string } };
  readonly traceId: string | undefined;
}

/**
 * Reads every call event of a namespace from JetStream, as any downstream service would,
 * and lets a test wait for the one it expects (no sleeps).
 */
export class CallEventsRecorder {
  readonly events: RecordedEvent[] = [];
  private waiters: { match: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];
  private readonly consumer: EventConsumer;
  private reactions: ((e: RecordedEvent) => void)[] = [];

  constructor(connection: MessagingConnection, durable = 'e2e-recorder') {
    this.consumer = new EventConsumer(connection, {
      durable,
      definitions: ALL_CALL_EVENTS as readonly EventDefinition[],
      handler: (message, ctx) => {
        const recorded: RecordedEvent = {
          name: ctx.subject.split('.').pop() ?? '',
          callId: (message as { call?: { callId: string } }).call?.callId ?? '',
          message: message as RecordedEvent['message'],
          traceId: trace.getSpanContext(context.active())?.traceId,
        };
        this.events.push(recorded);
        this.reactions.forEach((react) => react(recorded));
        this.waiters = this.waiters.filter((w) => (w.match(recorded) ? (w.resolve(recorded), false) : true));
      },
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** Calls `react` for every event from now on (e.g. to play the IVR's part). */
  onEvent(react: (e: RecordedEvent) => void): void {
    this.reactions.push(react);
  }

  next(name: string, callId?: string): Promise<RecordedEvent> {
    const match = (e: RecordedEvent) => e.name === name && (callId === undefined || e.callId === callId);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  of(callId: string): RecordedEvent[] {
    return this.events.filter((e) => e.callId === callId);
  }
}
