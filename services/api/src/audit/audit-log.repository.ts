import { POSTGRES } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';
import { type AuditEntry } from './audit-entry';

export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  /** The `entryId` of the last entry of the previous page (newest first). */
  readonly before?: number;
}

interface AuditRow {
  entry_id: string;
  at: Date;
  actor: string;
  actor_roles: string[];
  action: string;
  target: Record<string, string>;
  request: unknown;
  before: unknown;
  after: unknown;
  status: number;
  trace_id: string | null;
}

/** The audit log (api.audit_entry): appended to, read newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_entry (tenant, actor, actor_roles, action, target, request, before, after, status, trace_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [entry.tenant ?? null, entry.actor, entry.actorRoles, entry.action, entry.target, json(entry.request), json(entry.before), json(entry.after), entry.status, entry.traceId ?? null],
    );
  }

  async page(tenant: string, query: AuditQuery) {
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT entry_id, at, actor, actor_roles, action, target, request, before, after, status, trace_id FROM audit_entry
        WHERE tenant = $1 AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR action LIKE '%' || $3 || '%')
          AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5) AND ($6::bigint IS NULL OR entry_id < $6)
        ORDER BY entry_id DESC LIMIT $7`,
      [tenant, query.actor ?? null, query.action ?? null, query.from ?? null, query.to ?? null, query.before ?? null, query.limit],
    );
    return rows.map((row) => ({
      entryId: Number(row.entry_id),
      at: row.at.toISOString(),
      actor: row.actor,
      actorRoles: row.actor_roles,
      action: row.action,
      target: row.target,
      request: row.request,
      before: row.before,
      after: row.after,
      status: row.status,
      traceId: row.trace_id,
    }));
  }
}

/** jsonb wants JSON text for a value that is not an object (a string, a number). */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
