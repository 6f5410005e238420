import { type JsonObject } from '@bufbuild/protobuf';
import { AcdCommands, type AgentConfig, type NotReadyReasonConfig, type QueueConfig, type SkillConfig, type WrapUpCodeConfig } from '@lianluo/contracts';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CommandRunner, camelCaseField } from '../commands/command-runner';
import { ITEM_KINDS, type ItemKind, type ItemKindName, itemJson, itemOfBody } from './configuration-json';
import { expectedVersionOf } from './entity-tag';

/** A refused field of `queue.offer_timeout_ms` is the body's `offerTimeoutMs`: the body is the item. */
const bodyField = (field: string) => camelCaseField(field.replace(/^[a-z_]+\./, ''));

const NAMES: Record<ItemKindName, string> = { skills: 'skill', queues: 'queue', agents: 'agent', notReadyReasons: 'not-ready reason', wrapUpCodes: 'wrap-up code' };

/** What a write answered: the item as it is now, and whether it is new. */
export interface ItemWritten {
  readonly created: boolean;
  readonly item: JsonObject;
}

/**
 * The tenant's configuration items of each kind, kept by acd: read through get_configuration,
 * written and deleted by its commands, If-Match given to them as the expected version.
 */
@Injectable()
export class ConfigurationItems {
  constructor(private readonly commands: CommandRunner) {}

  async list(tenant: string, kind: ItemKindName): Promise<JsonObject[]> {
    const configuration = await this.commands.run(AcdCommands.getConfiguration, { tenant });
    const definition = ITEM_KINDS[kind] as ItemKind;
    return definition.items(configuration).map(({ item, version }) => itemJson(definition, item, version));
  }

  async find(tenant: string, kind: ItemKindName, id: string): Promise<JsonObject | undefined> {
    const idField = ITEM_KINDS[kind].idField;
    return (await this.list(tenant, kind)).find((item) => item[idField] === id);
  }

  async get(tenant: string, kind: ItemKindName, id: string): Promise<JsonObject> {
    const item = await this.find(tenant, kind, id);
    if (!item) throw new NotFoundException({ error: 'not_found', message: `no such ${NAMES[kind]} in this tenant` });
    return item;
  }

  async put(tenant: string, kind: ItemKindName, id: string, body: Record<string, unknown>, ifMatch: string | undefined, key?: string): Promise<ItemWritten> {
    const expectedVersion = expectedVersionOf(ifMatch);
    const item = this.itemOf(kind, id, body);
    const written = await this.upsert(tenant, kind, item, expectedVersion, key);
    return { created: written.created, item: itemJson(ITEM_KINDS[kind] as ItemKind, item, written.version) };
  }

  async remove(tenant: string, kind: ItemKindName, id: string, ifMatch: string | undefined, key?: string): Promise<void> {
    const expectedVersion = expectedVersionOf(ifMatch);
    const conditional = expectedVersion === undefined ? {} : { expectedVersion };
    switch (kind) {
      case 'skills':
        await this.commands.run(AcdCommands.deleteSkill, { tenant, name: id, ...conditional }, key);
        return;
      case 'queues':
        await this.commands.run(AcdCommands.deleteQueue, { tenant, queue: id, ...conditional }, key);
        return;
      case 'agents':
        await this.commands.run(AcdCommands.deleteAgent, { tenant, agentId: id, ...conditional }, key);
        return;
      case 'notReadyReasons':
        await this.commands.run(AcdCommands.deleteNotReadyReason, { tenant, code: id, ...conditional }, key);
        return;
      case 'wrapUpCodes':
        await this.commands.run(AcdCommands.deleteWrapUpCode, { tenant, code: id, ...conditional }, key);
        return;
    }
  }

  private itemOf(kind: ItemKindName, id: string, body: Record<string, unknown>) {
    try {
      return itemOfBody(ITEM_KINDS[kind] as ItemKind, id, body);
    } catch {
      // The body passed its schema but is not one message (both an extension and a PSTN number).
      throw new BadRequestException({ error: 'invalid_request', message: `the body is not a ${NAMES[kind]}`, problems: [{ field: 'body', reason: `is not a ${NAMES[kind]}` }] });
    }
  }

  private upsert(tenant: string, kind: ItemKindName, item: unknown, expectedVersion: string | undefined, key?: string): Promise<{ created: boolean; version: string }> {
    const conditional = expectedVersion === undefined ? {} : { expectedVersion };
    switch (kind) {
      case 'skills':
        return this.commands.run(AcdCommands.upsertSkill, { tenant, skill: item as SkillConfig, ...conditional }, key, bodyField);
      case 'queues':
        return this.commands.run(AcdCommands.upsertQueue, { tenant, queue: item as QueueConfig, ...conditional }, key, bodyField);
      case 'agents':
        return this.commands.run(AcdCommands.upsertAgent, { tenant, agent: item as AgentConfig, ...conditional }, key, bodyField);
      case 'notReadyReasons':
        return this.commands.run(AcdCommands.upsertNotReadyReason, { tenant, reason: item as NotReadyReasonConfig, ...conditional }, key, bodyField);
      case 'wrapUpCodes':
        return this.commands.run(AcdCommands.upsertWrapUpCode, { tenant, code: item as WrapUpCodeConfig, ...conditional }, key, bodyField);
    }
  }
}
