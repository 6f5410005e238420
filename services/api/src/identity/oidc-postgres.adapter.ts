import { type Pool } from 'pg';

/** What oidc-provider stores of a model instance (session, grant, code, token, client…). */
type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

/** oidc-provider's storage contract (its `Adapter` interface), over one table. */
export interface OidcAdapter {
  upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * The provider's models in PostgreSQL (api.oidc_model), so every replica sees every session,
 * code and refresh token: a desktop may sign in through one replica and refresh through
 * another. Expired rows are never returned; `sweepExpired` deletes them.
 */
export function postgresAdapterClass(pool: Pool): new (model: string) => OidcAdapter {
  return class PostgresOidcAdapter implements OidcAdapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void> {
      await pool.query(
        `INSERT INTO oidc_model (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [this.model, id, payload, payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? null],
      );
    }

    find(id: string): Promise<Payload | undefined> {
      return this.findWhere('id = $2', id);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findWhere('user_code = $2', userCode);
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.findWhere('uid = $2', uid);
    }

    async consume(id: string): Promise<void> {
      await pool.query(`UPDATE oidc_model SET consumed_at = now() WHERE model = $1 AND id = $2`, [this.model, id]);
    }

    async destroy(id: string): Promise<void> {
      await pool.query(`DELETE FROM oidc_model WHERE model = $1 AND id = $2`, [this.model, id]);
    }

    /** Every code and token of the grant, of whatever model: a revoked grant leaves nothing usable. */
    async revokeByGrantId(grantId: string): Promise<void> {
      await pool.query(`DELETE FROM oidc_model WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)`, [grantId]);
    }

    private async findWhere(condition: string, value: string): Promise<Payload | undefined> {
      const { rows } = await pool.query<{ payload: Payload; consumed: number | null }>(
        `SELECT payload, EXTRACT(EPOCH FROM consumed_at)::bigint AS consumed FROM oidc_model
          WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, value],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed === null ? row.payload : { ...row.payload, consumed: Number(row.consumed) };
    }
  };
}

/** Deletes the provider's expired rows; returns how many. */
export async function sweepExpired(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM oidc_model WHERE expires_at < now() - interval '1 minute'`);
  return rowCount ?? 0;
}
