import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { type AgentProfileInput, parseAgentProfile } from '../agents/agent-profile';
import { parseQueueDefinition, type QueueDefinitionInput } from '../queues/queue-definition';
import { RoutingError } from '../routing/routing-error';
import { RoutingStore } from '../routing/routing-store';
import { InvalidInput, parseInput } from '../validation/invalid-input';
import { ConfigurationRepository } from './configuration.repository';
import {
  configurationFileSchema,
  parseConfigurationYaml,
  type SkillDefinition,
  skillDefinitionSchema,
  type TenantConfiguration,
  tenantConfigurationSchema,
  unresolvedReferences,
} from './tenant-configuration';

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

  /** True when the queue is new. */
  async upsertQueue(tenant: string, input: QueueDefinitionInput): Promise<boolean> {
    const queue = parseQueueDefinition(input);
    const target = queue.overflow?.queue;
    if (target !== undefined && !(await this.repository.names(tenant)).queues.has(target)) {
      throw new RoutingError('unknown-queue', `overflow queue ${target} is not configured`, 'overflow.queue');
    }
    const created = await this.repository.upsertQueue(tenant, queue);
    await this.store.defineQueue(tenant, queue);
    return created;
  }

  async deleteQueue(tenant: string, queue: string): Promise<void> {
    const agents = await this.repository.agentsOfQueue(tenant, queue);
    if (agents.length > 0) throw new RoutingError('in-use', `queue ${queue} is one of the queues of agents ${agents.join(', ')}`, 'queue');
    const overflowing = await this.repository.queuesOverflowingTo(tenant, queue);
    if (overflowing.length > 0) throw new RoutingError('in-use', `queues ${overflowing.join(', ')} overflow to queue ${queue}`, 'queue');
    const live = await this.unlessUnknown(() => this.store.deleteQueue(tenant, queue));
    if (!(await this.repository.deleteQueue(tenant, queue)) && !live) throw new RoutingError('unknown-queue', `queue ${queue} is not configured`, 'queue');
  }

  async upsertAgent(tenant: string, input: AgentProfileInput): Promise<boolean> {
    const agent = parseAgentProfile(input);
    const names = await this.repository.names(tenant);
    const queue = agent.queues.find((name) => !names.queues.has(name));
    if (queue !== undefined) throw new RoutingError('unknown-queue', `queue ${queue} is not configured`, 'queues');
    const skill = names.skills.size === 0 ? undefined : Object.keys(agent.skills).find((name) => !names.skills.has(name));
    if (skill !== undefined) throw new RoutingError('unknown-skill', `skill ${skill} is not in the tenant's catalogue`, `skills.${skill}`);
    const created = await this.repository.upsertAgent(tenant, agent);
    await this.store.configureAgent(tenant, agent);
    return created;
  }

  async deleteAgent(tenant: string, agentId: string): Promise<void> {
    const live = await this.unlessUnknown(() => this.store.deleteAgent(tenant, agentId));
    if (!(await this.repository.deleteAgent(tenant, agentId)) && !live) throw new RoutingError('unknown-agent', `agent ${agentId} is not configured`, 'agentId');
  }

  async upsertSkill(tenant: string, input: SkillDefinition): Promise<boolean> {
    const skill = parseInput(skillDefinitionSchema, input, 'skill');
    const created = await this.repository.upsertSkill(tenant, skill);
    await this.store.defineSkill(tenant, skill.name, skill.description);
    return created;
  }

  async deleteSkill(tenant: string, name: string): Promise<void> {
    const agents = await this.repository.agentsWithSkill(tenant, name);
    if (agents.length > 0) throw new RoutingError('in-use', `skill ${name} is a skill of agents ${agents.join(', ')}`, 'name');
    const live = await this.unlessUnknown(() => this.store.deleteSkill(tenant, name));
    if (!(await this.repository.deleteSkill(tenant, name)) && !live) throw new RoutingError('unknown-skill', `skill ${name} is not in the catalogue`, 'name');
  }

  /**
   * Upserts the skills, queues and agents of a tenant's YAML document in one transaction,
   * then applies them: nothing is stored when any part is invalid, and the errors name
   * each problem's path in the document.
   */
  async importYaml(tenant: string, text: string): Promise<{ skills: number; queues: number; agents: number }> {
    const document = parseConfigurationYaml(tenantConfigurationSchema, text, 'configuration');
    const problems = unresolvedReferences(document, await this.repository.names(tenant));
    if (problems.length > 0) throw new InvalidInput('configuration', problems);
    await this.repository.inTransaction((client) => this.storeDocument(tenant, document, client));
    await this.apply(tenant, document);
    return { skills: document.skills.length, queues: document.queues.length, agents: document.agents.length };
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
