import { type DescMessage, type MessageShape, toBinary } from '@bufbuild/protobuf';
import { type CommandDefinition, type EventDefinition, type FieldViolation } from '@lianluo/contracts';
import { type Queryable } from '@lianluo/postgres';

/** One row of the outbox, as the relay reads it. */
export interface OutboxEntry {
  readonly id: string;
  readonly kind: 'event' | 'command';
  readonly domain: string;
  readonly name: string;
  readonly messageKey: string;
  readonly payload: Uint8Array;
  readonly traceparent: string | null;
  readonly attempts: number;
}

interface Outgoing {
  readonly kind: OutboxEntry['kind'];
  readonly domain: string;
  readonly name: string;
  readonly key: string;
  readonly payload: Uint8Array;
  readonly violations: readonly FieldViolation[];
}

/**
 * Writes to the outbox on the caller's connection, so it commits or rolls back with the
 * change it announces. A second write of the same event or command id changes nothing.
 */
async function addToOutbox(tx: Queryable, outgoing: Outgoing, traceparent: string | undefined): Promise<void> {
  if (outgoing.violations.length > 0) {
    const problems = outgoing.violations.map((v) => `${v.field} ${v.reason}`).join('; ');
    throw new Error(`refusing to queue an invalid ${outgoing.kind} ${outgoing.domain}.${outgoing.name}: ${problems}`);
  }
  await tx.query(
    `INSERT INTO outbox (kind, domain, name, message_key, payload, traceparent)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_key) DO NOTHING`,
    [outgoing.kind, outgoing.domain, outgoing.name, outgoing.key, Buffer.from(outgoing.payload), traceparent ?? null],
  );
}

/** An event to publish once the transaction commits. */
export function addEventToOutbox<S extends DescMessage>(
  tx: Queryable,
  definition: EventDefinition<S>,
  message: MessageShape<S>,
  traceparent: string | undefined,
): Promise<void> {
  const { domain, name } = definition;
  const outgoing = { kind: 'event', domain, name, key: definition.idOf(message), payload: toBinary(definition.schema, message), violations: definition.validate(message) } as const;
  return addToOutbox(tx, outgoing, traceparent);
}

/** A command to send once the transaction commits, until its owner accepts or refuses it. */
export function addCommandToOutbox<Req extends DescMessage, Rep extends DescMessage>(
  tx: Queryable,
  definition: CommandDefinition<Req, Rep>,
  request: MessageShape<Req>,
  traceparent: string | undefined,
): Promise<void> {
  const { domain, name } = definition;
  const outgoing = { kind: 'command', domain, name, key: definition.idOf(request), payload: toBinary(definition.request, request), violations: definition.validate(request) } as const;
  return addToOutbox(tx, outgoing, traceparent);
}
