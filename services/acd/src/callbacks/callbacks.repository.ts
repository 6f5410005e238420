import { POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AttemptEnd, Callback, CallbackAttempt, CallbackDial, CallbackOrigin, CallbackOutcome, CallbackStatus } from './callback';
import type { CallbackPlan } from './callback-request';
import type { AfterAttempt } from './retry-schedule';

/** A row of acd.callback as the queries below select it. */
interface CallbackRow {
  tenant: string;
  callbackId: string;
  queue: string;
  number: string;
  site: string;
  customerId: string;
  priority: number;
  requiredSkills: Record<string, number>;
  preferredAgent: string;
  data: Record<string, string>;
  origin: CallbackOrigin | '';
  waitingSince: Date;
  appointment: Date | null;
  notBefore: Date;
  status: CallbackStatus;
  attempts: number;
  maxAttempts: number;
  rounds: number;
  lastOutcome: CallbackOutcome | null;
  contactId: string | null;
  agentId: string | null;
  agentSite: string | null;
  callSite: string | null;
  callId: string | null;
  callEndedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  traceparent: string | null;
}

const COLUMNS = `tenant, callback_id AS "callbackId", queue, number, site, customer_id AS "customerId", priority,
  required_skills AS "requiredSkills", preferred_agent AS "preferredAgent", data, origin, waiting_since AS "waitingSince",
  appointment, not_before AS "notBefore", status, attempts, max_attempts AS "maxAttempts", rounds, last_outcome AS "lastOutcome",
  contact_id AS "contactId", agent_id AS "agentId", agent_site AS "agentSite", call_site AS "callSite", call_id AS "callId",
  call_ended_at AS "callEndedAt", created_at AS "createdAt", updated_at AS "updatedAt", traceparent`;

const orUndefined = <T>(value: T | null): T | undefined => value ?? undefined;

function callbackOf(row: CallbackRow): Callback {
  return {
    tenant: row.tenant,
    callbackId: row.callbackId,
    queue: row.queue,
    number: row.number,
    site: row.site,
    customerId: row.customerId,
    priority: row.priority,
    requiredSkills: row.requiredSkills,
    preferredAgent: row.preferredAgent,
    data: row.data,
    origin: row.origin,
    waitingSinceMs: row.waitingSince.getTime(),
    appointmentMs: row.appointment?.getTime(),
    notBeforeMs: row.notBefore.getTime(),
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    rounds: row.rounds,
    lastOutcome: orUndefined(row.lastOutcome),
    contactId: orUndefined(row.contactId),
    agentId: orUndefined(row.agentId),
    agentSite: orUndefined(row.agentSite),
    callSite: orUndefined(row.callSite),
    callId: orUndefined(row.callId),
    createdAtMs: row.createdAt.getTime(),
    updatedAtMs: row.updatedAt.getTime(),
    traceparent: orUndefined(row.traceparent),
  };
}

/** A callback locked for a change, with whether its current call has ended. */
export interface LockedCallback {
  readonly callback: Callback;
  readonly callEnded: boolean;
}

/**
 * Callbacks in PostgreSQL (schema acd). Every method takes the pool or a transaction's
 * connection; the `lock` reads are SELECT ... FOR UPDATE, so the changes of one callback
 * (scheduler, dialler, cancel, hang-up) follow one another whatever replica makes them.
 */
@Injectable()
export class CallbacksRepository {
  constructor(@Inject(POSTGRES) readonly pool: Pool) {}

  /** Stores a new callback (scheduled), in the trace of `traceparent`; undefined when its id is already taken. */
  async insert(db: Queryable, tenant: string, plan: CallbackPlan, nowMs: number, traceparent: string | undefined): Promise<Callback | undefined> {
    const { rows } = await db.query<CallbackRow>(
      `INSERT INTO acd.callback (tenant, callback_id, queue, number, site, customer_id, priority, required_skills, preferred_agent, data, origin,
                                 waiting_since, appointment, not_before, status, max_attempts, created_at, updated_at, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'scheduled', $15, $16, $16, $17)
       ON CONFLICT (tenant, callback_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        tenant,
        plan.callbackId,
        plan.queue,
        plan.number,
        plan.site ?? '',
        plan.customerId ?? '',
        plan.priority,
        JSON.stringify(plan.requiredSkills),
        plan.preferredAgent ?? '',
        JSON.stringify(plan.data),
        plan.origin ?? '',
        new Date(plan.waitingSinceMs),
        plan.appointment === undefined ? null : new Date(plan.appointment),
        new Date(plan.notBeforeMs),
        plan.maxAttempts,
        new Date(nowMs),
        traceparent ?? null,
      ],
    );
    return rows[0] && callbackOf(rows[0]);
  }

  async find(db: Queryable, tenant: string, callbackId: string): Promise<Callback | undefined> {
    const { rows } = await db.query<CallbackRow>(`SELECT ${COLUMNS} FROM acd.callback WHERE tenant = $1 AND callback_id = $2`, [tenant, callbackId]);
    return rows[0] && callbackOf(rows[0]);
  }

  /** The callback, locked until the transaction ends. */
  async lock(db: Queryable, tenant: string, callbackId: string): Promise<LockedCallback | undefined> {
    const { rows } = await db.query<CallbackRow>(`SELECT ${COLUMNS} FROM acd.callback WHERE tenant = $1 AND callback_id = $2 FOR UPDATE`, [tenant, callbackId]);
    return rows[0] && { callback: callbackOf(rows[0]), callEnded: rows[0].callEndedAt !== null };
  }

  /** Every attempt of a callback, first first. */
  async attempts(db: Queryable, tenant: string, callbackId: string): Promise<CallbackAttempt[]> {
    const { rows } = await db.query<{
      attempt: number;
      contactId: string;
      agentId: string;
      outcome: CallbackOutcome;
      counted: boolean;
      callSite: string;
      callId: string;
      endedAt: Date;
      nextAttemptAt: Date | null;
    }>(
      `SELECT attempt, contact_id AS "contactId", agent_id AS "agentId", outcome, counted, call_site AS "callSite", call_id AS "callId",
              ended_at AS "endedAt", next_attempt_at AS "nextAttemptAt"
         FROM acd.callback_attempt WHERE tenant = $1 AND callback_id = $2 ORDER BY attempt`,
      [tenant, callbackId],
    );
    return rows.map(({ endedAt, nextAttemptAt, ...attempt }) => ({ ...attempt, endedAtMs: endedAt.getTime(), nextAttemptAtMs: nextAttemptAt?.getTime() }));
  }

  /** Scheduled callbacks due at `nowMs`, locked; those another replica holds are skipped, so no two take the same one. */
  async lockDue(db: Queryable, nowMs: number, limit: number): Promise<Callback[]> {
    const { rows } = await db.query<CallbackRow>(
      `SELECT ${COLUMNS} FROM acd.callback WHERE status = 'scheduled' AND not_before <= $1 ORDER BY not_before LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [new Date(nowMs), limit],
    );
    return rows.map(callbackOf);
  }

  /** Dials still open past their deadline: the replica dialling them died. */
  async abandonedDials(db: Queryable, nowMs: number, limit: number): Promise<Callback[]> {
    const { rows } = await db.query<CallbackRow>(
      `SELECT ${COLUMNS} FROM acd.callback WHERE status = 'dialling' AND dial_deadline <= $1 ORDER BY dial_deadline LIMIT $2`,
      [new Date(nowMs), limit],
    );
    return rows.map(callbackOf);
  }

  /** The callback's attempt `attempt` waits in its queue as contact `contactId`. */
  async markQueued(db: Queryable, callback: Callback, attempt: number, contactId: string, nowMs: number): Promise<Callback> {
    return this.update(db, callback, `status = 'queued', rounds = $3, contact_id = $4, updated_at = $5`, [attempt, contactId, new Date(nowMs)]);
  }

  /** The queued attempt is dialled now by `dial`'s agent and call, until `deadlineMs` at the latest. */
  async markDialling(db: Queryable, callback: Callback, dial: CallbackDial, deadlineMs: number, nowMs: number): Promise<Callback> {
    return this.update(
      db,
      callback,
      `status = 'dialling', agent_id = $3, agent_site = $4, call_site = $5, call_id = $6, dial_deadline = $7, call_ended_at = NULL, updated_at = $8`,
      [dial.agentId, dial.agentSite, dial.callSite, dial.callId, new Date(deadlineMs), new Date(nowMs)],
    );
  }

  /** Records how `dial` ended and what follows it. */
  async endDial(db: Queryable, callback: Callback, dial: CallbackDial, end: AttemptEnd, after: AfterAttempt, nowMs: number): Promise<Callback> {
    const next = after.nextAttemptAtMs === undefined ? null : new Date(after.nextAttemptAtMs);
    await db.query(
      `INSERT INTO acd.callback_attempt (tenant, callback_id, attempt, contact_id, agent_id, outcome, counted, call_site, call_id, ended_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
      [callback.tenant, callback.callbackId, dial.attempt, dial.contactId, dial.agentId, end.outcome, end.counted, dial.callSite, dial.callId, new Date(nowMs), next],
    );
    return this.update(
      db,
      callback,
      `status = $3, attempts = $4, last_outcome = $5, not_before = coalesce($6, not_before), dial_deadline = NULL, updated_at = $7`,
      [after.status, after.attempts, end.outcome, next, new Date(nowMs)],
    );
  }

  /** Ends a callback that is not being dialled (cancelled, or failed without an attempt). */
  async finish(db: Queryable, callback: Callback, status: Extract<CallbackStatus, 'cancelled' | 'failed'>, nowMs: number): Promise<Callback> {
    return this.update(db, callback, `status = $3, updated_at = $4`, [status, new Date(nowMs)]);
  }

  /**
   * Notes that a callback's call ended and returns its callback as it is then; undefined
   * when no callback placed the call.
   */
  async noteCallEnded(db: Queryable, tenant: string, callSite: string, callId: string, nowMs: number): Promise<Callback | undefined> {
    const { rows } = await db.query<CallbackRow>(
      `UPDATE acd.callback SET call_ended_at = $4 WHERE tenant = $1 AND call_site = $2 AND call_id = $3 RETURNING ${COLUMNS}`,
      [tenant, callSite, callId, new Date(nowMs)],
    );
    return rows[0] && callbackOf(rows[0]);
  }

  private async update(db: Queryable, callback: Callback, assignments: string, params: unknown[]): Promise<Callback> {
    const { rows } = await db.query<CallbackRow>(`UPDATE acd.callback SET ${assignments} WHERE tenant = $1 AND callback_id = $2 RETURNING ${COLUMNS}`, [
      callback.tenant,
      callback.callbackId,
      ...params,
    ]);
    return callbackOf(rows[0]!);
  }
}
