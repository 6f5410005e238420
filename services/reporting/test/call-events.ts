// Call events as the media gateway publishes them, built with fresh event ids.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { CallEvents, type EventDefinition } from '@lianluo/contracts';

export interface ScriptedEvent {
  readonly definition: EventDefinition;
  readonly message: unknown;
  readonly eventId: string;
}

type CallEventName = keyof typeof CallEvents;

/** One call event of `callId` at `atMs`; `fields` fill the event-specific part. */
export function callEvent(name: CallEventName, tenant: string, site: string, callId: string, atMs: number, fields: Record<string, unknown> = {}): ScriptedEvent {
  const definition = CallEvents[name] as unknown as EventDefinition;
  const eventId = `${callId}:${name}:${atMs}:${Object.values(fields).join(',')}`;
  const message = create(definition.schema, {
    eventId,
    call: { tenant, site, callId },
    occurredAt: timestampFromMs(atMs),
    ...fields,
  } as never);
  return { definition, message, eventId };
}
