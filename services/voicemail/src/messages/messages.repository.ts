import { POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type MessageOrigin } from './message-origin';

export const MESSAGE_STATES = ['new', 'heard', 'deleted'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** A kept voicemail message: what the agents of its queue work on. */
export interface VoicemailMessage extends MessageOrigin {
  readonly id: string;
  readonly receivedAt: Date;
  readonly durationMs: number;
  readonly recordingId: string;
  readonly location: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly state: MessageState;
}

const COLUMNS = `id, tenant, site, call_id AS "callId", queue, mailbox, caller_number AS "callerNumber", priority,
  contact_id AS "contactId", received_at AS "receivedAt", duration_ms AS "durationMs", recording_id AS "recordingId",
  location, content_type AS "contentType", size_bytes::float8 AS "sizeBytes", state`;

/** Kept messages in PostgreSQL. Written only as part of settling a session (SessionsService). */
@Injectable()
export class MessagesRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** Inserts the message on the caller's transaction; a second insert of the same id changes nothing. */
  async insert(tx: Queryable, message: Omit<VoicemailMessage, 'state'>): Promise<void> {
    await tx.query(
      `INSERT INTO message (id, tenant, site, call_id, queue, mailbox, caller_number, priority, contact_id, received_at,
                            duration_ms, recording_id, location, content_type, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (id) DO NOTHING`,
      [
        message.id,
        message.tenant,
        message.site,
        message.callId,
        message.queue,
        message.mailbox,
        message.callerNumber,
        message.priority,
        message.contactId,
        message.receivedAt,
        message.durationMs,
        message.recordingId,
        message.location,
        message.contentType,
        message.sizeBytes,
      ],
    );
  }

  /** The tenant's message, unless it was deleted. */
  async find(tenant: string, id: string): Promise<VoicemailMessage | undefined> {
    const { rows } = await this.pool.query<VoicemailMessage>(`SELECT ${COLUMNS} FROM message WHERE tenant = $1 AND id = $2 AND state <> 'deleted'`, [tenant, id]);
    return rows[0];
  }
}
