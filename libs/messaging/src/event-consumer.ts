import { type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { type EventDefinition } from '@lianluo/contracts';
import { Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg, headers as natsHeaders, nanos } from 'nats';
import { MESSAGE_TYPE_HEADER } from './event-publisher';
import { decodeAndValidate, describeViolations } from './message-codec';
import { type MessagingConnection } from './messaging-connection';
import { MessagingMetrics } from './messaging.metrics';
import { messagingSpanAttributes } from './messaging-span-attributes';
import { type SubjectParts, deadLetterSubjectOf, eventFilterOf, parseSubject, streamNameOf } from './subjects';
import { traceContextOf } from './trace-headers';

export const DEAD_LETTER_HEADERS = {
  reason: 'Lianluo-Dead-Letter-Reason',
  subject: 'Lianluo-Original-Subject',
  sequence: 'Lianluo-Original-Sequence',
  consumer: 'Lianluo-Consumer',
} as const;

export interface EventContext {
  readonly subject: string;
  readonly tenant: string;
  /** The de-duplication id the event was published with. */
  readonly eventId: string;
  /** 1 on first delivery; handlers must be idempotent for the rest. */
  readonly deliveryCount: number;
  readonly streamSequence: number;
}

export type EventHandlerFunction<S extends DescMessage = DescMessage> = (
  message: MessageShape<S>,
  ctx: EventContext,
) => unknown;

/** An event of the consumer's domain that none of its definitions names: a newer contract than this build knows. */
export interface UnknownEvent {
  /** The event's name, from its subject. */
  readonly name: string;
  /** The protobuf type the publisher named (`Lianluo-Type` header), if it did. */
  readonly typeName: string | undefined;
  /** The message as published, undecoded. */
  readonly data: Uint8Array;
}

export type UnknownEventHandlerFunction = (event: UnknownEvent, ctx: EventContext) => unknown;

export interface EventSubscription {
  /** Durable consumer name; one per handler and service, e.g. `reporting-call-events`. */
  readonly durable: string;
  /** Events of one domain this handler takes. */
  readonly definitions: readonly EventDefinition[];
  readonly handler: EventHandlerFunction;
  /**
   * Takes, undecoded, the domain's events none of `definitions` names, with the same acks,
   * retries and dead-lettering; without it they are acknowledged unread.
   */
  readonly unknown?: UnknownEventHandlerFunction;
  /**
   * Events handed out and not yet acknowledged, across every replica sharing the durable.
   * 1 makes the consumer ordered: each event is handled (and retried) before the next one
   * of the stream is handed to any replica. The server's default otherwise.
   */
  readonly maxAckPending?: number;
}

/**
 * A durable JetStream consumer with explicit acks. Undecodable or invalid events go to the
 * dead-letter stream at once; a handler that keeps failing gets `maxDeliver` tries with
 * growing delay, then its event is dead-lettered too. Nothing is dropped silently and
 * nothing loops forever.
 */
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly byName: Map<string, EventDefinition>;
  private readonly domain: string;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly connection: MessagingConnection,
    private readonly subscription: EventSubscription,
    private readonly metrics = new MessagingMetrics(),
  ) {
    const domains = new Set(subscription.definitions.map((d) => d.domain));
    if (domains.size !== 1) throw new Error(`consumer ${subscription.durable} must take events of exactly one domain (got ${[...domains].join(', ') || 'none'})`);
    this.domain = [...domains][0] as string;
    this.byName = new Map(subscription.definitions.map((d) => [d.name, d]));
  }

  async start(): Promise<void> {
    const { connection, subscription } = this;
    const stream = await connection.ensureStream(this.domain);
    await connection.ensureDeadLetterStream();
    const only = subscription.definitions.length === 1 ? subscription.definitions[0]?.name : undefined;
    const config = {
      durable_name: subscription.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: eventFilterOf(connection.namespace, this.domain, only),
      max_deliver: connection.options.maxDeliver + 1,
      ack_wait: nanos(connection.options.ackWaitMs),
      ...(subscription.maxAckPending !== undefined && { max_ack_pending: subscription.maxAckPending }),
    };
    try {
      await connection.jsm.consumers.info(stream, subscription.durable);
      await connection.jsm.consumers.update(stream, subscription.durable, config);
    } catch {
      await connection.jsm.consumers.add(stream, config);
    }
    const consumer = await connection.js.consumers.get(stream, subscription.durable);
    this.messages = await consumer.consume({ max_messages: 64 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const message of messages) await this.handle(message);
    })();
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }

  private async handle(message: JsMsg): Promise<void> {
    const parts = parseSubject(message.subject);
    const definition = parts && this.byName.get(parts.name);
    if (parts && !definition && this.subscription.unknown) {
      await this.handleUnknown(message, parts, this.subscription.unknown);
      return;
    }
    if (!parts || !definition) {
      message.ack(); // an event of the domain this handler does not take
      return;
    }
    const labels = { domain: definition.domain, kind: 'event', name: definition.name };
    const decoded = decodeAndValidate(definition.schema, message.data, definition.validate);
    let problem = decoded.ok ? undefined : `${decoded.reason}: ${describeViolations(decoded.violations)}`;
    if (decoded.ok && definition.tenantOf(decoded.message) !== parts.tenant) {
      problem = `invalid: tenant "${definition.tenantOf(decoded.message)}" does not match subject tenant "${parts.tenant}"`;
    }
    if (!decoded.ok || problem) {
      this.metrics.rejected.inc({ ...labels, reason: decoded.ok ? 'invalid' : decoded.reason });
      this.logger.warn({ subject: message.subject, sequence: message.seq, consumer: this.subscription.durable, problem }, 'event rejected');
      await this.deadLetter(message, parts.tenant, definition.name, problem ?? 'rejected');
      return;
    }

    const ctx = contextOf(message, parts);
    const tracer = trace.getTracer('@lianluo/messaging');
    const attributes = messagingSpanAttributes('process', message.subject, { id: ctx.eventId, consumerGroup: this.subscription.durable });
    const started = process.hrtime.bigint();
    await context.with(traceContextOf(message.headers), () =>
      tracer.startActiveSpan(`consume ${definition.domain}.${definition.name}`, { kind: SpanKind.CONSUMER, attributes }, async (span) => {
        try {
          await this.subscription.handler(decoded.message, ctx);
          message.ack();
          this.metrics.handled.inc({ ...labels, outcome: 'ok' });
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          await this.retryOrDeadLetter(message, parts.tenant, definition.name, error as Error);
        } finally {
          span.end();
          this.metrics.handlerSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        }
      }),
    );
  }

  private async handleUnknown(message: JsMsg, parts: SubjectParts, unknown: UnknownEventHandlerFunction): Promise<void> {
    const typeName = message.headers?.get(MESSAGE_TYPE_HEADER) || undefined;
    try {
      await unknown({ name: parts.name, typeName, data: message.data }, contextOf(message, parts));
      message.ack();
      this.metrics.handled.inc({ domain: this.domain, kind: 'event', name: parts.name, outcome: 'unknown' });
    } catch (error) {
      await this.retryOrDeadLetter(message, parts.tenant, parts.name, error as Error);
    }
  }

  private async retryOrDeadLetter(message: JsMsg, tenant: string, name: string, error: Error): Promise<void> {
    const labels = { domain: this.domain, kind: 'event', name };
    const deliveries = message.info.redeliveryCount;
    this.logger.error({ subject: message.subject, sequence: message.seq, deliveries, err: error }, 'event handler failed');
    if (deliveries >= this.connection.options.maxDeliver) {
      this.metrics.handled.inc({ ...labels, outcome: 'dead_lettered' });
      await this.deadLetter(message, tenant, name, `handler failed ${deliveries} times: ${error.message}`);
    } else {
      this.metrics.handled.inc({ ...labels, outcome: 'retry' });
      message.nak(Math.min(30_000, 250 * 2 ** deliveries));
    }
  }

  /** Copies the event, as received, to the dead-letter stream, then acks it. */
  private async deadLetter(message: JsMsg, tenant: string, name: string, reason: string): Promise<void> {
    const headers = natsHeaders();
    for (const [key, values] of message.headers ?? []) {
      if (!key.startsWith('Nats-')) for (const value of values) headers.append(key, value);
    }
    headers.set(DEAD_LETTER_HEADERS.reason, reason.slice(0, 1024));
    headers.set(DEAD_LETTER_HEADERS.subject, message.subject);
    headers.set(DEAD_LETTER_HEADERS.sequence, String(message.seq));
    headers.set(DEAD_LETTER_HEADERS.consumer, this.subscription.durable);
    const msgID = `${streamNameOf(this.connection.namespace, this.domain)}:${message.seq}:${this.subscription.durable}`;
    try {
      await this.connection.js.publish(deadLetterSubjectOf(this.connection.namespace, tenant, this.subscription.durable), message.data, {
        msgID,
        headers,
      });
      this.metrics.deadLettered.inc({ domain: this.domain, name, consumer: this.subscription.durable, reason: reason.split(':')[0] ?? 'rejected' });
      message.ack();
    } catch (error) {
      // Keep the event: it comes back after a delay and we try again.
      this.logger.error({ subject: message.subject, err: error }, 'dead-letter publish failed');
      message.nak(1_000);
    }
  }
}

function contextOf(message: JsMsg, parts: SubjectParts): EventContext {
  return {
    subject: message.subject,
    tenant: parts.tenant,
    eventId: message.headers?.get('Nats-Msg-Id') ?? '',
    deliveryCount: message.info.redeliveryCount,
    streamSequence: message.seq,
  };
}
