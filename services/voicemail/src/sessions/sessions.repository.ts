import { POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient } from 'pg';
import { type MessageOrigin } from '../messages/message-origin';
import { type Take } from './voicemail-call';

/** A session as take_call opened it, and where it stands. */
export interface Session extends MessageOrigin {
  readonly messageId: string;
  readonly reason: string;
  readonly minMessageMs: number;
  readonly recordingId: string | undefined;
  readonly callerGone: boolean;
  readonly outcome: 'left' | 'abandoned' | undefined;
  readonly traceparent: string | undefined;
}

export type OpenSession = Omit<Session, 'recordingId' | 'callerGone' | 'outcome'>;

const SESSION_COLUMNS = `message_id AS "messageId", tenant, site, call_id AS "callId", queue, mailbox,
  caller_number AS "callerNumber", priority, contact_id AS "contactId", reason, min_message_ms AS "minMessageMs",
  recording_id AS "recordingId", caller_gone AS "callerGone", outcome, traceparent`;

const TAKE_COLUMNS = `t.recording_id AS "recordingId", t.location, t.content_type AS "contentType", t.duration_ms AS "durationMs", t.size_bytes::float8 AS "sizeBytes"`;

function sessionOf(row: Record<string, unknown>): Session {
  return { ...(row as unknown as Session), recordingId: (row.recordingId as string | null) ?? undefined, outcome: (row.outcome as Session['outcome'] | null) ?? undefined, traceparent: (row.traceparent as string | null) ?? undefined };
}

/** Sessions and their takes in PostgreSQL: one row per call voicemail took. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** Opens the call's session, or finds the one a first take_call opened. */
  async open(session: OpenSession): Promise<{ messageId: string; created: boolean }> {
    const { rows } = await this.pool.query<{ messageId: string }>(
      `INSERT INTO session (message_id, tenant, site, call_id, queue, mailbox, caller_number, priority, contact_id, reason, min_message_ms, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant, call_id) DO NOTHING RETURNING message_id AS "messageId"`,
      [
        session.messageId,
        session.tenant,
        session.site,
        session.callId,
        session.queue,
        session.mailbox,
        session.callerNumber,
        session.priority,
        session.contactId,
        session.reason,
        session.minMessageMs,
        session.traceparent ?? null,
      ],
    );
    if (rows[0]) return { messageId: rows[0].messageId, created: true };
    const existing = await this.pool.query<{ messageId: string }>('SELECT message_id AS "messageId" FROM session WHERE tenant = $1 AND call_id = $2', [
      session.tenant,
      session.callId,
    ]);
    return { messageId: existing.rows[0]?.messageId ?? session.messageId, created: false };
  }

  async byId(messageId: string): Promise<Session | undefined> {
    const { rows } = await this.pool.query(`SELECT ${SESSION_COLUMNS} FROM session WHERE message_id = $1`, [messageId]);
    return rows[0] ? sessionOf(rows[0]) : undefined;
  }

  /** The session with its row locked for the rest of the transaction; undefined when the call has none. */
  async lock(tx: PoolClient, by: { messageId: string } | { tenant: string; callId: string }): Promise<Session | undefined> {
    const { rows } =
      'messageId' in by
        ? await tx.query(`SELECT ${SESSION_COLUMNS} FROM session WHERE message_id = $1 FOR UPDATE`, [by.messageId])
        : await tx.query(`SELECT ${SESSION_COLUMNS} FROM session WHERE tenant = $1 AND call_id = $2 FOR UPDATE`, [by.tenant, by.callId]);
    return rows[0] ? sessionOf(rows[0]) : undefined;
  }

  async setCallerNumber(messageId: string, callerNumber: string): Promise<void> {
    await this.pool.query('UPDATE session SET caller_number = $2 WHERE message_id = $1', [messageId, callerNumber]);
  }

  /** The take the caller is now on; a re-recording replaces the one before. */
  async setCurrentTake(messageId: string, recordingId: string): Promise<void> {
    await this.pool.query('UPDATE session SET recording_id = $2 WHERE message_id = $1', [messageId, recordingId]);
  }

  /** The caller gave up this take: it is no longer theirs to keep. */
  async dropCurrentTake(messageId: string, recordingId: string): Promise<void> {
    await this.pool.query('UPDATE session SET recording_id = NULL WHERE message_id = $1 AND recording_id = $2', [messageId, recordingId]);
  }

  async saveTake(q: Queryable, messageId: string, take: Take): Promise<void> {
    await q.query(
      `INSERT INTO take (recording_id, message_id, location, content_type, duration_ms, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (recording_id) DO NOTHING`,
      [take.recordingId, messageId, take.location, take.contentType, take.durationMs, take.sizeBytes],
    );
  }

  async takesOf(q: Queryable, messageId: string): Promise<Take[]> {
    const { rows } = await q.query<Take>(`SELECT ${TAKE_COLUMNS} FROM take t WHERE t.message_id = $1 ORDER BY t.finished_at`, [messageId]);
    return rows;
  }

  /** A take by recording id, with the tenant it belongs to (for playing it back in review). */
  async takeOf(tenant: string, recordingId: string): Promise<Take | undefined> {
    const { rows } = await this.pool.query<Take>(
      `SELECT ${TAKE_COLUMNS} FROM take t JOIN session s USING (message_id) WHERE s.tenant = $1 AND t.recording_id = $2`,
      [tenant, recordingId],
    );
    return rows[0];
  }

  async markCallerGone(tx: PoolClient, messageId: string): Promise<void> {
    await tx.query('UPDATE session SET caller_gone = true WHERE message_id = $1', [messageId]);
  }

  async end(tx: PoolClient, messageId: string, outcome: 'left' | 'abandoned', at: Date): Promise<void> {
    await tx.query('UPDATE session SET outcome = $2, ended_at = $3 WHERE message_id = $1', [messageId, outcome, at]);
  }
}
