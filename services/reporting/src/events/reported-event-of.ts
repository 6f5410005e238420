import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import { type Timestamp, timestampMs } from '@bufbuild/protobuf/wkt';
import { type EventDefinition } from '@lianluo/contracts';
import { type EventContext, type UnknownEvent, parseSubject } from '@lianluo/messaging';
import { type ReportedEvent } from './reported-event';

/** Looks an event's definition up by the name in its subject. */
export function definitionsByName(definitions: readonly EventDefinition[]): (ctx: EventContext) => EventDefinition {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  return (ctx) => {
    const name = parseSubject(ctx.subject)?.name ?? '';
    const definition = byName.get(name);
    if (!definition) throw new Error(`no definition for the event on ${ctx.subject}`);
    return definition;
  };
}

/**
 * The parts of a ReportedEvent every domain fills the same way: ids, tenant, type, time and
 * the whole message as JSON. Every event of ours carries `occurred_at`.
 */
export function reportedEventOf(
  definition: EventDefinition,
  message: MessageShape<DescMessage>,
  ctx: EventContext,
  about: Pick<ReportedEvent, 'contactId' | 'agentId' | 'fact'>,
): ReportedEvent {
  const occurredAt = (message as { occurredAt?: Timestamp }).occurredAt;
  return {
    domain: definition.domain,
    eventId: definition.idOf(message) || ctx.eventId,
    name: definition.name,
    typeName: definition.schema.typeName,
    tenant: ctx.tenant,
    // Contracts require occurred_at; an event without one is still kept, at its arrival time.
    occurredAtMs: occurredAt ? timestampMs(occurredAt) : Date.now(),
    streamSequence: ctx.streamSequence,
    payload: toJson(definition.schema, message),
    ...about,
  };
}

/**
 * An event of a type this build has no contract for (a newer publisher): kept undecoded,
 * at its arrival time, so nothing is lost and a later build can project it.
 */
export function reportedUnknownEventOf(domain: string, event: UnknownEvent, ctx: EventContext, arrivedAtMs: number): ReportedEvent {
  return {
    domain,
    eventId: ctx.eventId || `${ctx.subject}@${ctx.streamSequence}`,
    name: event.name,
    typeName: event.typeName ?? 'unknown',
    tenant: ctx.tenant,
    occurredAtMs: arrivedAtMs,
    streamSequence: ctx.streamSequence,
    payload: { undecodedBase64: Buffer.from(event.data).toString('base64') },
  };
}
