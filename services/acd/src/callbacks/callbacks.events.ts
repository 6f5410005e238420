import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ALL_ACD_EVENTS, type EventDefinition } from '@lianluo/contracts';
import { EventPublisher } from '@lianluo/messaging';
import { inTransaction, POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AcdEvent } from '../routing/outbox-event';
import { publishAcdEvent } from '../routing/publish-acd-event';

const DEFINITIONS = new Map(ALL_ACD_EVENTS.map((definition) => [definition.name, definition as EventDefinition]));
/** Outbox rows one transaction publishes. */
const BATCH = 100;

/**
 * The callbacks' events: written to acd.event_outbox in the transaction of the change they
 * report, then published to JetStream in the trace each belongs to, and deleted. Any
 * replica relays; SKIP LOCKED keeps two from publishing the same rows at once, and one
 * published twice (a crash between publishing and deleting) is dropped by JetStream, whose
 * de-duplication id is the event's own.
 */
@Injectable()
export class CallbackEventsRelay {
  private pass: Promise<number> | undefined;
  private again = false;

  constructor(
    @Inject(POSTGRES) private readonly pool: Pool,
    private readonly publisher: EventPublisher,
  ) {}

  /** Adds events on the transaction's connection; an invalid one fails the transaction rather than block the outbox. */
  async add(tx: Queryable, events: readonly AcdEvent[]): Promise<void> {
    for (const { definition, message, traceparent } of events) {
      const violations = definition.validate(message);
      if (violations.length > 0) throw new Error(`invalid acd.${definition.name}: ${violations.map((v) => `${v.field} ${v.reason}`).join('; ')}`);
      await tx.query('INSERT INTO acd.event_outbox (event_id, name, payload, traceparent) VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING', [
        definition.idOf(message),
        definition.name,
        Buffer.from(toBinary(definition.schema, message)),
        traceparent ?? null,
      ]);
    }
  }

  /**
   * Publishes everything in the outbox and resolves with how many. A call while a pass runs
   * joins it and makes it go round once more, so what was committed before the call is
   * published when it resolves.
   */
  relay(): Promise<number> {
    if (this.pass !== undefined) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      let published = 0;
      try {
        do {
          this.again = false;
          for (let taken = BATCH; taken === BATCH; published += taken) taken = await this.publishBatch();
        } while (this.again);
        return published;
      } finally {
        this.pass = undefined;
      }
    })();
    return this.pass;
  }

  private publishBatch(): Promise<number> {
    return inTransaction(this.pool, async (tx) => {
      const { rows } = await tx.query<{ id: string; name: string; payload: Buffer; traceparent: string | null }>(
        `SELECT id, name, payload, traceparent FROM acd.event_outbox ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      // An event this version does not know (a newer replica's, mid-upgrade) stays for one that does.
      const known = rows.filter((row) => DEFINITIONS.has(row.name));
      await Promise.all(
        known.map((row) => {
          const definition = DEFINITIONS.get(row.name)!;
          return publishAcdEvent(this.publisher, { definition, message: fromBinary(definition.schema, row.payload), traceparent: row.traceparent ?? undefined });
        }),
      );
      if (known.length > 0) await tx.query('DELETE FROM acd.event_outbox WHERE id = ANY($1::bigint[])', [known.map((row) => row.id)]);
      return known.length;
    });
  }
}
