import { inTransaction, POSTGRES, type Queryable } from '@lianluo/postgres';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { AgentProfileInput } from '../agents/agent-profile';
import type { QueueDefinitionInput } from '../queues/queue-definition';
import type { ConfigurationKind } from './configuration-diff';
import type { CatalogueCode, ConfigurationNames, SkillDefinition, TenantConfiguration } from './tenant-configuration';

/** The catalogues of codes and their tables. */
export type CodeKind = 'notReadyReasons' | 'wrapUpCodes';
const CODE_TABLES: Record<CodeKind, string> = { notReadyReasons: 'acd.not_ready_reason', wrapUpCodes: 'acd.wrap_up_code' };

/** How each kind's item is read back: the same form load() gives, so versions agree. */
const ITEM_QUERIES: Record<ConfigurationKind, string> = {
  skills: 'SELECT json_build_object(\'name\', name, \'description\', description) AS item FROM acd.skill WHERE tenant = $1 AND name = $2',
  queues: 'SELECT definition AS item FROM acd.queue WHERE tenant = $1 AND queue = $2',
  agents: 'SELECT profile AS item FROM acd.agent WHERE tenant = $1 AND agent_id = $2',
  notReadyReasons: 'SELECT json_build_object(\'code\', code, \'label\', label) AS item FROM acd.not_ready_reason WHERE tenant = $1 AND code = $2',
  wrapUpCodes: 'SELECT json_build_object(\'code\', code, \'label\', label) AS item FROM acd.wrap_up_code WHERE tenant = $1 AND code = $2',
};

/** The acd's configuration in PostgreSQL (schema acd): the source every replica loads into Redis. */
@Injectable()
export class ConfigurationRepository {
  constructor(@Inject(POSTGRES) private readonly pool: Pool) {}

  /** Runs `work` in one transaction: committed if it returns, rolled back if it throws. */
  inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async tenants(): Promise<string[]> {
    const { rows } = await this.pool.query<{ tenant: string }>(
      'SELECT tenant FROM acd.queue UNION SELECT tenant FROM acd.skill UNION SELECT tenant FROM acd.agent ORDER BY tenant',
    );
    return rows.map((row) => row.tenant);
  }

  async load(tenant: string, db: Queryable = this.pool): Promise<Required<TenantConfiguration>> {
    // One query after another: `db` may be a transaction's client, which takes one at a time.
    const skills = await db.query<{ name: string; description: string }>('SELECT name, description FROM acd.skill WHERE tenant = $1 ORDER BY name', [tenant]);
    const queues = await db.query<{ definition: QueueDefinitionInput }>('SELECT definition FROM acd.queue WHERE tenant = $1 ORDER BY queue', [tenant]);
    const agents = await db.query<{ profile: AgentProfileInput }>('SELECT profile FROM acd.agent WHERE tenant = $1 ORDER BY agent_id', [tenant]);
    const notReadyReasons = await db.query<CatalogueCode>('SELECT code, label FROM acd.not_ready_reason WHERE tenant = $1 ORDER BY code', [tenant]);
    const wrapUpCodes = await db.query<CatalogueCode>('SELECT code, label FROM acd.wrap_up_code WHERE tenant = $1 ORDER BY code', [tenant]);
    return {
      skills: skills.rows,
      queues: queues.rows.map((row) => row.definition),
      agents: agents.rows.map((row) => row.profile),
      notReadyReasons: notReadyReasons.rows,
      wrapUpCodes: wrapUpCodes.rows,
    };
  }

  /** One stored item, locked until the transaction of `client` ends; undefined when there is none. */
  async lockedItem(client: PoolClient, kind: ConfigurationKind, tenant: string, id: string): Promise<object | undefined> {
    const { rows } = await client.query<{ item: object }>(`${ITEM_QUERIES[kind]} FOR UPDATE`, [tenant, id]);
    return rows[0]?.item;
  }

  /** True when the code is new. */
  async upsertCode(kind: CodeKind, tenant: string, entry: CatalogueCode, db: Queryable = this.pool): Promise<boolean> {
    return this.upsert(
      db,
      `INSERT INTO ${CODE_TABLES[kind]} (tenant, code, label) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, code) DO UPDATE SET label = EXCLUDED.label, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [tenant, entry.code, entry.label],
    );
  }

  async deleteCode(kind: CodeKind, tenant: string, code: string, db: Queryable = this.pool): Promise<boolean> {
    return ((await db.query(`DELETE FROM ${CODE_TABLES[kind]} WHERE tenant = $1 AND code = $2`, [tenant, code])).rowCount ?? 0) > 0;
  }

  /** True when the tenant's catalogue of `kind` names `code`, or names nothing (any code goes then). */
  async allowsCode(kind: CodeKind, tenant: string, code: string): Promise<boolean> {
    const table = CODE_TABLES[kind];
    const result = await this.pool.query<{ allowed: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE tenant = $1) OR EXISTS (SELECT 1 FROM ${table} WHERE tenant = $1 AND code = $2) AS allowed`,
      [tenant, code],
    );
    return result.rows[0]?.allowed === true;
  }

  /** The queue ids and catalogued skill names stored for a tenant. */
  async names(tenant: string, db: Queryable = this.pool): Promise<ConfigurationNames> {
    const [queues, skills] = await Promise.all([
      db.query<{ queue: string }>('SELECT queue FROM acd.queue WHERE tenant = $1', [tenant]),
      db.query<{ name: string }>('SELECT name FROM acd.skill WHERE tenant = $1', [tenant]),
    ]);
    return { queues: new Set(queues.rows.map((row) => row.queue)), skills: new Set(skills.rows.map((row) => row.name)) };
  }

  /** True when the skill is new. */
  async upsertSkill(tenant: string, skill: SkillDefinition, db: Queryable = this.pool): Promise<boolean> {
    return this.upsert(
      db,
      `INSERT INTO acd.skill (tenant, name, description) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, name) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [tenant, skill.name, skill.description],
    );
  }

  async upsertQueue(tenant: string, queue: QueueDefinitionInput, db: Queryable = this.pool): Promise<boolean> {
    return this.upsert(
      db,
      `INSERT INTO acd.queue (tenant, queue, definition) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, queue) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [tenant, queue.queue, JSON.stringify(queue)],
    );
  }

  async upsertAgent(tenant: string, agent: AgentProfileInput, db: Queryable = this.pool): Promise<boolean> {
    return this.upsert(
      db,
      `INSERT INTO acd.agent (tenant, agent_id, profile) VALUES ($1, $2, $3)
       ON CONFLICT (tenant, agent_id) DO UPDATE SET profile = EXCLUDED.profile, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [tenant, agent.agentId, JSON.stringify(agent)],
    );
  }

  async deleteSkill(tenant: string, name: string, db: Queryable = this.pool): Promise<boolean> {
    return ((await db.query('DELETE FROM acd.skill WHERE tenant = $1 AND name = $2', [tenant, name])).rowCount ?? 0) > 0;
  }

  async deleteQueue(tenant: string, queue: string, db: Queryable = this.pool): Promise<boolean> {
    return ((await db.query('DELETE FROM acd.queue WHERE tenant = $1 AND queue = $2', [tenant, queue])).rowCount ?? 0) > 0;
  }

  async deleteAgent(tenant: string, agentId: string, db: Queryable = this.pool): Promise<boolean> {
    return ((await db.query('DELETE FROM acd.agent WHERE tenant = $1 AND agent_id = $2', [tenant, agentId])).rowCount ?? 0) > 0;
  }

  /** Agents whose profile names the queue (a few, for the refusal's message). */
  async agentsOfQueue(tenant: string, queue: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ agent_id: string }>(
      `SELECT agent_id FROM acd.agent WHERE tenant = $1 AND profile -> 'queues' ? $2 ORDER BY agent_id LIMIT 5`,
      [tenant, queue],
    );
    return rows.map((row) => row.agent_id);
  }

  /** Queues that overflow to the queue. */
  async queuesOverflowingTo(tenant: string, queue: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ queue: string }>(
      `SELECT queue FROM acd.queue WHERE tenant = $1 AND definition -> 'overflow' ->> 'queue' = $2 ORDER BY queue LIMIT 5`,
      [tenant, queue],
    );
    return rows.map((row) => row.queue);
  }

  /** Agents whose profile has the skill (a few). */
  async agentsWithSkill(tenant: string, skill: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ agent_id: string }>(
      `SELECT agent_id FROM acd.agent WHERE tenant = $1 AND profile -> 'skills' ? $2 ORDER BY agent_id LIMIT 5`,
      [tenant, skill],
    );
    return rows.map((row) => row.agent_id);
  }

  private async upsert(db: Queryable, sql: string, params: unknown[]): Promise<boolean> {
    const { rows } = await db.query<{ created: boolean }>(sql, params);
    return rows[0]?.created === true;
  }
}
