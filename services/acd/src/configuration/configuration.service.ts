import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type AgentProfileInput, parseAgentProfile } from '../agents/agent-profile';
import { parseQueueDefinition, type QueueDefinitionInput } from '../queues/queue-definition';
import { RoutingError } from '../routing/routing-error';
import { RoutingStore } from '../routing/routing-store';
import { InvalidInput, parseInput } from '../validation/invalid-input';
import { stringify as stringifyYaml } from 'yaml';
import { type CodeKind, ConfigurationRepository } from './configuration.repository';
import { type ConfigurationDiff, type ConfigurationKind, changedItems, diffConfiguration, exportDocument, versionOf } from './configuration-diff';
import {
  type CatalogueCode,
  catalogueCodeSchema,
  configurationFileSchema,
  parseConfigurationYaml,
  readConfigurationYaml,
  type SkillDefinition,
  skillDefinitionSchema,
  type TenantConfiguration,
  tenantConfigurationSchema,
  unresolvedReferences,
} from './tenant-configuration';

/** What a write of one item answers: whether it was new, and its version now. */
export interface ItemWritten {
  readonly created: boolean;
  readonly version: string;
}

export interface ImportOptions {
  /** Only compute the diff. */
  readonly dryRun?: boolean;
  /** Delete what the document does not name. */
  readonly prune?: boolean;
}

export interface ImportOutcome {
  readonly skills: number;
  readonly queues: number;
  readonly agents: number;
  readonly diff: ConfigurationDiff;
  readonly applied: boolean;
}

const NO_NAMES = { queues: new Set<string>(), skills: new Set<string>() };

export interface ConfigurationOptions {
  /** A YAML file of every tenant's configuration, upserted at each start-up (ACD_CONFIG_FILE). */
  readonly file?: string | undefined;
}

export const CONFIGURATION_OPTIONS = Symbol('ConfigurationOptions');

/**
 * Queues, agents and skills of each tenant. Every change is validated, written to
 * PostgreSQL (the source of truth) and then applied to live routing in Redis at once, so
 * every replica routes by it without a restart. At start-up a replica upserts the
 * configuration file, if any, and loads everything stored into Redis.
 */
@Injectable()
export class ConfigurationService implements OnModuleInit {
  private readonly logger = new Logger(ConfigurationService.name);

  constructor(
    private readonly store: RoutingStore,
    private readonly repository: ConfigurationRepository,
    @Inject(CONFIGURATION_OPTIONS) private readonly options: ConfigurationOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.file) await this.importFile(this.options.file);
    await this.loadAll();
  }

  /** Loads every tenant's stored configuration into Redis (start-up, or after Redis lost it). */
  async loadAll(): Promise<void> {
    for (const tenant of await this.repository.tenants()) {
      await this.apply(tenant, await this.repository.load(tenant));
    }
  }

  /** `expectedVersion`: the version the caller last read; the write is refused when the stored item differs. */
  async upsertQueue(tenant: string, input: QueueDefinitionInput, expectedVersion?: string): Promise<ItemWritten> {
    const queue = parseQueueDefinition(input);
    const target = queue.overflow?.queue;
    if (target !== undefined && !(await this.repository.names(tenant)).queues.has(target)) {
      throw new RoutingError('unknown-queue', `overflow queue ${target} is not configured`, 'overflow.queue');
    }
    const created = await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'queues', tenant, queue.queue, expectedVersion);
      return this.repository.upsertQueue(tenant, queue, client);
    });
    await this.store.defineQueue(tenant, queue);
    return { created, version: versionOf(queue) };
  }

  async deleteQueue(tenant: string, queue: string, expectedVersion?: string): Promise<void> {
    const agents = await this.repository.agentsOfQueue(tenant, queue);
    if (agents.length > 0) throw new RoutingError('in-use', `queue ${queue} is one of the queues of agents ${agents.join(', ')}`, 'queue');
    const overflowing = await this.repository.queuesOverflowingTo(tenant, queue);
    if (overflowing.length > 0) throw new RoutingError('in-use', `queues ${overflowing.join(', ')} overflow to queue ${queue}`, 'queue');
    await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'queues', tenant, queue, expectedVersion);
      const live = await this.unlessUnknown(() => this.store.deleteQueue(tenant, queue));
      if (!(await this.repository.deleteQueue(tenant, queue, client)) && !live) throw new RoutingError('unknown-queue', `queue ${queue} is not configured`, 'queue');
    });
  }

  async upsertAgent(tenant: string, input: AgentProfileInput, expectedVersion?: string): Promise<ItemWritten> {
    const agent = parseAgentProfile(input);
    const names = await this.repository.names(tenant);
    const queue = agent.queues.find((name) => !names.queues.has(name));
    if (queue !== undefined) throw new RoutingError('unknown-queue', `queue ${queue} is not configured`, 'queues');
    const skill = names.skills.size === 0 ? undefined : Object.keys(agent.skills).find((name) => !names.skills.has(name));
    if (skill !== undefined) throw new RoutingError('unknown-skill', `skill ${skill} is not in the tenant's catalogue`, `skills.${skill}`);
    const created = await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'agents', tenant, agent.agentId, expectedVersion);
      return this.repository.upsertAgent(tenant, agent, client);
    });
    await this.store.configureAgent(tenant, agent);
    return { created, version: versionOf(agent) };
  }

  async deleteAgent(tenant: string, agentId: string, expectedVersion?: string): Promise<void> {
    await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'agents', tenant, agentId, expectedVersion);
      const live = await this.unlessUnknown(() => this.store.deleteAgent(tenant, agentId));
      if (!(await this.repository.deleteAgent(tenant, agentId, client)) && !live) throw new RoutingError('unknown-agent', `agent ${agentId} is not configured`, 'agentId');
    });
  }

  async upsertSkill(tenant: string, input: SkillDefinition, expectedVersion?: string): Promise<ItemWritten> {
    const skill = parseInput(skillDefinitionSchema, input, 'skill');
    const created = await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'skills', tenant, skill.name, expectedVersion);
      return this.repository.upsertSkill(tenant, skill, client);
    });
    await this.store.defineSkill(tenant, skill.name, skill.description);
    return { created, version: versionOf(skill) };
  }

  async deleteSkill(tenant: string, name: string, expectedVersion?: string): Promise<void> {
    const agents = await this.repository.agentsWithSkill(tenant, name);
    if (agents.length > 0) throw new RoutingError('in-use', `skill ${name} is a skill of agents ${agents.join(', ')}`, 'name');
    await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, 'skills', tenant, name, expectedVersion);
      const live = await this.unlessUnknown(() => this.store.deleteSkill(tenant, name));
      if (!(await this.repository.deleteSkill(tenant, name, client)) && !live) throw new RoutingError('unknown-skill', `skill ${name} is not in the catalogue`, 'name');
    });
  }

  /** A not-ready reason or wrap-up code: stored only (routing does not read them). */
  async upsertCode(kind: CodeKind, tenant: string, input: CatalogueCode, expectedVersion?: string): Promise<ItemWritten> {
    const entry = parseInput(catalogueCodeSchema, input, 'code');
    const created = await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, kind, tenant, entry.code, expectedVersion);
      return this.repository.upsertCode(kind, tenant, entry, client);
    });
    return { created, version: versionOf(entry) };
  }

  async deleteCode(kind: CodeKind, tenant: string, code: string, expectedVersion?: string): Promise<void> {
    await this.repository.inTransaction(async (client) => {
      await this.expectVersion(client, kind, tenant, code, expectedVersion);
      if (!(await this.repository.deleteCode(kind, tenant, code, client))) throw new RoutingError('unknown-code', `code ${code} is not in the catalogue`, 'code');
    });
  }

  /** The tenant's stored configuration, each kind sorted by id. */
  configuration(tenant: string): Promise<Required<TenantConfiguration>> {
    return this.repository.load(tenant);
  }

  /** The tenant's configuration as an import document: the same configuration gives the same text. */
  async exportYaml(tenant: string): Promise<string> {
    return stringifyYaml(exportDocument(await this.repository.load(tenant)), { lineWidth: 0, sortMapEntries: false });
  }

  /**
   * Imports a tenant's YAML document in one transaction, then applies it to live routing:
   * what it names is created or updated, and with `prune` what it does not name is
   * deleted. Nothing is stored when any part is invalid (the errors name each problem's
   * path, line and column) or refused (a pruned queue with contacts waiting, a pruned
   * agent logged in). A dry run only answers the diff.
   */
  async importYaml(tenant: string, text: string, options: ImportOptions = {}): Promise<ImportOutcome> {
    const { value: document, locate } = readConfigurationYaml(tenantConfigurationSchema, text, 'configuration');
    const prune = options.prune === true;
    const problems = unresolvedReferences(document, prune ? NO_NAMES : await this.repository.names(tenant));
    if (problems.length > 0) throw new InvalidInput('configuration', locate(problems));
    const counts = { skills: document.skills.length, queues: document.queues.length, agents: document.agents.length };
    if (options.dryRun === true) return { ...counts, diff: diffConfiguration(await this.repository.load(tenant), document, prune), applied: false };
    let stored: Required<TenantConfiguration> | undefined;
    try {
      const diff = await this.repository.inTransaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`acd.configuration:${tenant}`]);
        stored = await this.repository.load(tenant, client);
        const diff = diffConfiguration(stored, document, prune);
        await this.storeChanges(tenant, diff, document, client);
        if (prune) await this.deletePruned(tenant, diff, client);
        return diff;
      });
      await this.apply(tenant, document);
      return { ...counts, diff, applied: true };
    } catch (error) {
      // A refusal after some pruned items left Redis: put back what PostgreSQL still holds.
      if (prune && stored) await this.apply(tenant, stored);
      throw error;
    }
  }

  /** Upserts every tenant of a configuration file (ACD_CONFIG_FILE), all or nothing. */
  async importFile(path: string): Promise<void> {
    const file = await readConfigurationFile(path);
    const problems = [];
    for (const [tenant, document] of Object.entries(file.tenants)) {
      problems.push(...unresolvedReferences(document, await this.repository.names(tenant)).map((p) => ({ ...p, field: `tenants.${tenant}.${p.field}` })));
    }
    if (problems.length > 0) throw new InvalidInput(`configuration file ${path}`, problems);
    await this.repository.inTransaction(async (client) => {
      for (const [tenant, document] of Object.entries(file.tenants)) await this.storeDocument(tenant, document, client);
    });
    this.logger.log({ file: path, tenants: Object.keys(file.tenants) }, 'configuration file imported');
  }

  private async storeDocument(tenant: string, document: TenantConfiguration, client: PoolClient): Promise<void> {
    for (const skill of document.skills) await this.repository.upsertSkill(tenant, skill, client);
    for (const queue of document.queues) await this.repository.upsertQueue(tenant, queue, client);
    for (const agent of document.agents) await this.repository.upsertAgent(tenant, agent, client);
    for (const entry of document.notReadyReasons ?? []) await this.repository.upsertCode('notReadyReasons', tenant, entry, client);
    for (const entry of document.wrapUpCodes ?? []) await this.repository.upsertCode('wrapUpCodes', tenant, entry, client);
  }

  /** Writes only what the diff says is created or updated, so unchanged rows keep their updated_at. */
  private async storeChanges(tenant: string, diff: ConfigurationDiff, document: TenantConfiguration, client: PoolClient): Promise<void> {
    await this.storeDocument(
      tenant,
      {
        skills: changedItems(diff, document, 'skills') as SkillDefinition[],
        queues: changedItems(diff, document, 'queues') as QueueDefinitionInput[],
        agents: changedItems(diff, document, 'agents') as AgentProfileInput[],
        notReadyReasons: changedItems(diff, document, 'notReadyReasons') as CatalogueCode[],
        wrapUpCodes: changedItems(diff, document, 'wrapUpCodes') as CatalogueCode[],
      },
      client,
    );
  }

  /** Deletes what a pruning import does not name: agents before the queues and skills they name. Live routing refuses what is in use. */
  private async deletePruned(tenant: string, diff: ConfigurationDiff, client: PoolClient): Promise<void> {
    for (const agentId of diff.agents.deleted) {
      await this.unlessUnknown(() => this.store.deleteAgent(tenant, agentId));
      await this.repository.deleteAgent(tenant, agentId, client);
    }
    for (const queue of diff.queues.deleted) {
      await this.unlessUnknown(() => this.store.deleteQueue(tenant, queue));
      await this.repository.deleteQueue(tenant, queue, client);
    }
    for (const name of diff.skills.deleted) {
      await this.unlessUnknown(() => this.store.deleteSkill(tenant, name));
      await this.repository.deleteSkill(tenant, name, client);
    }
    for (const code of diff.notReadyReasons.deleted) await this.repository.deleteCode('notReadyReasons', tenant, code, client);
    for (const code of diff.wrapUpCodes.deleted) await this.repository.deleteCode('wrapUpCodes', tenant, code, client);
  }

  /** Refuses a conditional write (FAILED_PRECONDITION on `expectedVersion`) unless the stored item has the version the caller read. */
  private async expectVersion(client: PoolClient, kind: ConfigurationKind, tenant: string, id: string, expected: string | undefined): Promise<void> {
    if (expected === undefined) return;
    const item = await this.repository.lockedItem(client, kind, tenant, id);
    if (item === undefined || versionOf(item) !== expected) {
      throw new RoutingError('version-mismatch', `${id} is not at version ${expected}: it changed since it was read`, 'expectedVersion');
    }
  }

  /** Applies a tenant's configuration to live routing: skills, then queues, then agents. */
  private async apply(tenant: string, configuration: TenantConfiguration): Promise<void> {
    for (const skill of configuration.skills) await this.store.defineSkill(tenant, skill.name, skill.description);
    for (const queue of configuration.queues) await this.store.defineQueue(tenant, queue);
    for (const agent of configuration.agents) await this.store.configureAgent(tenant, agent);
  }

  /** Runs a Redis delete; false when Redis did not know the name (its configuration may still be stored). */
  private async unlessUnknown(remove: () => Promise<void>): Promise<boolean> {
    try {
      await remove();
      return true;
    } catch (error) {
      if (error instanceof RoutingError && error.kind.startsWith('unknown-')) return false;
      throw error;
    }
  }
}

/**
 * Reads and validates a configuration file (ACD_CONFIG_FILE); throws InvalidInput naming
 * the path of each problem. A replica checks it before it connects to anything.
 */
export async function readConfigurationFile(path: string) {
  return parseConfigurationYaml(configurationFileSchema, await readFile(path, 'utf8'), `configuration file ${path}`);
}
