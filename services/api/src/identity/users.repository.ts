import { POSTGRES, inTransaction } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { type Role } from '../auth/role';
import { NOBODYS_HASH, hashPassword, passwordMatches } from './password';
import { type UserAccount } from './user-account';

interface UserRow {
  user_id: string;
  tenant: string | null;
  login: string;
  display_name: string;
  roles: Role[];
  agent_id: string | null;
  disabled: boolean;
}

const COLUMNS = 'user_id, tenant, login, display_name, roles, agent_id, disabled';

function userOf(row: UserRow): UserAccount {
  return {
    userId: row.user_id,
    tenant: row.tenant ?? undefined,
    login: row.login,
    displayName: row.display_name,
    roles: row.roles,
    agentId: row.agent_id ?? undefined,
    disabled: row.disabled,
  };
}

/** What a sign-in attempt came to. A locked account says for how long, whatever the password. */
export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly user: UserAccount }
  | { readonly kind: 'refused' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

export interface LockPolicy {
  readonly maxFailures: number;
  readonly lockSeconds: number;
}

export interface NewUser {
  readonly tenant?: string | undefined;
  readonly login: string;
  readonly displayName?: string;
  readonly roles: readonly Role[];
  readonly agentId?: string | undefined;
  readonly password: string;
}

export interface UserChange {
  readonly displayName?: string;
  readonly roles?: readonly Role[];
  readonly agentId?: string | null;
  readonly password?: string;
  readonly disabled?: boolean;
}

/** A login or agent id another user of the tenant already has. */
export class UserConflict extends Error {
  constructor(readonly field: 'login' | 'agentId') {
    super(field === 'login' ? 'another user has this login' : 'another user of the tenant works as this agent');
  }
}

function conflictOf(error: unknown): unknown {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  return new UserConflict(constraint === 'user_account_agent' ? 'agentId' : 'login');
}

/** The embedded provider's users, in PostgreSQL (api.user_account). */
@Injectable()
export class UsersRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  async find(userId: string): Promise<UserAccount | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT ${COLUMNS} FROM user_account WHERE user_id = $1`, [userId]);
    return rows[0] && userOf(rows[0]);
  }

  /** A tenant's users by login, a page at a time (`after` = the last login of the previous page). */
  async list(tenant: string, limit: number, after: string | undefined): Promise<UserAccount[]> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT ${COLUMNS} FROM user_account WHERE tenant = $1 AND ($2::text IS NULL OR lower(login) > lower($2)) ORDER BY lower(login) LIMIT $3`,
      [tenant, after ?? null, limit],
    );
    return rows.map(userOf);
  }

  async create(user: NewUser): Promise<UserAccount> {
    const passwordHash = await hashPassword(user.password);
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO user_account (user_id, tenant, login, display_name, password_hash, roles, agent_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [randomUUID(), user.tenant ?? null, user.login, user.displayName ?? '', passwordHash, user.roles, user.agentId ?? null],
      );
      return userOf(rows[0]!);
    } catch (error) {
      throw conflictOf(error);
    }
  }

  /** Changes a user; a change of roles, agent, password or a disabling ends their sessions. Undefined when unknown. */
  async update(tenant: string | undefined, userId: string, change: UserChange): Promise<UserAccount | undefined> {
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    try {
      return await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<UserRow>(
          `UPDATE user_account SET
             display_name = COALESCE($3, display_name),
             roles = COALESCE($4, roles),
             agent_id = CASE WHEN $5 THEN $6 ELSE agent_id END,
             password_hash = COALESCE($7, password_hash),
             disabled = COALESCE($8, disabled),
             failed_logins = CASE WHEN $7 IS NULL THEN failed_logins ELSE 0 END,
             locked_until = CASE WHEN $7 IS NULL THEN locked_until END,
             updated_at = now()
           WHERE user_id = $1 AND tenant IS NOT DISTINCT FROM $2 RETURNING ${COLUMNS}`,
          [userId, tenant ?? null, change.displayName ?? null, change.roles ?? null, change.agentId !== undefined, change.agentId ?? null, passwordHash ?? null, change.disabled ?? null],
        );
        if (!rows[0]) return undefined;
        if (change.roles !== undefined || change.agentId !== undefined || change.password !== undefined || change.disabled === true) {
          await client.query(`DELETE FROM oidc_model WHERE payload->>'accountId' = $1`, [userId]);
        }
        return userOf(rows[0]);
      });
    } catch (error) {
      throw conflictOf(error);
    }
  }

  /** Removes a user and everything the provider kept of their sessions; false when unknown. */
  async remove(tenant: string | undefined, userId: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM user_account WHERE user_id = $1 AND tenant IS NOT DISTINCT FROM $2`, [userId, tenant ?? null]);
      if (!rowCount) return false;
      await client.query(`DELETE FROM oidc_model WHERE payload->>'accountId' = $1`, [userId]);
      return true;
    });
  }

  /**
   * Checks a password under a row lock, so parallel guesses count one by one: too many wrong
   * ones in a row lock the account for `lockSeconds`. An unknown login or a disabled user is
   * refused after the same work as a wrong password.
   */
  async signIn(login: string, password: string, policy: LockPolicy): Promise<SignInOutcome> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<UserRow & { password_hash: string; locked_for: number | null }>(
        `SELECT ${COLUMNS}, password_hash, CEIL(EXTRACT(EPOCH FROM locked_until - now()))::int AS locked_for
           FROM user_account WHERE lower(login) = lower($1) FOR UPDATE`,
        [login],
      );
      const row = rows[0];
      if (!row) {
        await passwordMatches(await NOBODYS_HASH, password);
        return { kind: 'refused' };
      }
      if (row.locked_for !== null && row.locked_for > 0) return { kind: 'locked', retryAfterSeconds: row.locked_for };
      if (!(await passwordMatches(row.password_hash, password)) || row.disabled) {
        const { rows: after } = await client.query<{ locked_for: number | null }>(
          `UPDATE user_account SET
             failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3) END
           WHERE user_id = $1 RETURNING CEIL(EXTRACT(EPOCH FROM locked_until - now()))::int AS locked_for`,
          [row.user_id, policy.maxFailures, policy.lockSeconds],
        );
        const lockedFor = after[0]?.locked_for;
        return lockedFor ? { kind: 'locked', retryAfterSeconds: lockedFor } : { kind: 'refused' };
      }
      await client.query(`UPDATE user_account SET failed_logins = 0, locked_until = NULL WHERE user_id = $1`, [row.user_id]);
      return { kind: 'signed-in', user: userOf(row) };
    });
  }

  /** Creates or updates a user from the seed file, by login; the password is hashed again only when it changed. */
  async seed(user: NewUser): Promise<void> {
    const { rows } = await this.pool.query<{ user_id: string; password_hash: string }>(`SELECT user_id, password_hash FROM user_account WHERE lower(login) = lower($1)`, [user.login]);
    const existing = rows[0];
    if (!existing) {
      await this.create(user);
      return;
    }
    const samePassword = await passwordMatches(existing.password_hash, user.password);
    await this.pool.query(`UPDATE user_account SET tenant = $2, display_name = $3, roles = $4, agent_id = $5, password_hash = COALESCE($6, password_hash), updated_at = now() WHERE user_id = $1`, [
      existing.user_id,
      user.tenant ?? null,
      user.displayName ?? '',
      user.roles,
      user.agentId ?? null,
      samePassword ? null : await hashPassword(user.password),
    ]);
  }
}
