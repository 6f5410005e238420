import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  type DeleteAgent,
  type DeleteCatalogueCode,
  DeleteCatalogueCodeResultSchema,
  ExportConfigurationResultSchema,
  GetConfigurationResultSchema,
  type UpsertNotReadyReason,
  UpsertCatalogueCodeResultSchema,
  type UpsertWrapUpCode,
  DeleteAgentResultSchema,
  type DeleteQueue,
  DeleteQueueResultSchema,
  type DeleteSkill,
  DeleteSkillResultSchema,
  type ExportConfiguration,
  type GetConfiguration,
  type ImportConfiguration,
  ImportConfigurationResultSchema,
  type UpsertAgent,
  UpsertAgentResultSchema,
  type UpsertQueue,
  UpsertQueueResultSchema,
  type UpsertSkill,
  UpsertSkillResultSchema,
} from '@lianluo/contracts';
import { CommandHandler } from '@lianluo/messaging';
import { Injectable } from '@nestjs/common';
import { RoutingCommandRunner } from '../routing/routing-command-runner';
import { agentConfigOf } from './agent-config-of';
import { agentProfileOf } from './agent-profile-of';
import { versionOf } from './configuration-diff';
import { ConfigurationService } from './configuration.service';
import { queueConfigOf } from './queue-config-of';
import { queueDefinitionOf } from './queue-definition-of';

/**
 * Admin commands: queues, agents, skills and the catalogues of codes, each change applied to
 * live routing at once; reads, export and import of the whole configuration.
 */
@Injectable()
export class ConfigurationHandlers {
  constructor(
    private readonly configuration: ConfigurationService,
    private readonly runner: RoutingCommandRunner,
  ) {}

  @CommandHandler(AcdCommands.upsertQueue)
  upsertQueue(request: UpsertQueue) {
    return this.runner.run(request.tenant, 'queue.', async () =>
      create(UpsertQueueResultSchema, await this.configuration.upsertQueue(request.tenant, queueDefinitionOf(request.queue!), request.expectedVersion)),
    );
  }

  @CommandHandler(AcdCommands.deleteQueue)
  deleteQueue(request: DeleteQueue) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteQueue(request.tenant, request.queue, request.expectedVersion);
      return create(DeleteQueueResultSchema);
    });
  }

  @CommandHandler(AcdCommands.upsertAgent)
  upsertAgent(request: UpsertAgent) {
    return this.runner.run(request.tenant, 'agent.', async () =>
      create(UpsertAgentResultSchema, await this.configuration.upsertAgent(request.tenant, agentProfileOf(request.agent!), request.expectedVersion)),
    );
  }

  @CommandHandler(AcdCommands.deleteAgent)
  deleteAgent(request: DeleteAgent) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteAgent(request.tenant, request.agentId, request.expectedVersion);
      return create(DeleteAgentResultSchema);
    });
  }

  @CommandHandler(AcdCommands.upsertSkill)
  upsertSkill(request: UpsertSkill) {
    const skill = request.skill!;
    return this.runner.run(request.tenant, 'skill.', async () =>
      create(UpsertSkillResultSchema, await this.configuration.upsertSkill(request.tenant, { name: skill.name, description: skill.description }, request.expectedVersion)),
    );
  }

  /** Imports a YAML document (optionally pruning, or as a dry run): all of it, or nothing when any part is wrong. */
  @CommandHandler(AcdCommands.importConfiguration)
  importConfiguration(request: ImportConfiguration) {
    return this.runner.run(request.tenant, '', async () =>
      create(ImportConfigurationResultSchema, await this.configuration.importYaml(request.tenant, request.yaml, { dryRun: request.dryRun, prune: request.prune })),
    );
  }

  @CommandHandler(AcdCommands.getConfiguration)
  getConfiguration(request: GetConfiguration) {
    return this.runner.run(request.tenant, '', async () => {
      const stored = await this.configuration.configuration(request.tenant);
      return create(GetConfigurationResultSchema, {
        skills: stored.skills.map((skill) => ({ skill, version: versionOf(skill) })),
        queues: stored.queues.map((queue) => ({ queue: queueConfigOf(queue), version: versionOf(queue) })),
        agents: stored.agents.map((agent) => ({ agent: agentConfigOf(agent), version: versionOf(agent) })),
        notReadyReasons: stored.notReadyReasons.map((reason) => ({ reason, version: versionOf(reason) })),
        wrapUpCodes: stored.wrapUpCodes.map((code) => ({ code, version: versionOf(code) })),
      });
    });
  }

  @CommandHandler(AcdCommands.exportConfiguration)
  exportConfiguration(request: ExportConfiguration) {
    return this.runner.run(request.tenant, '', async () => create(ExportConfigurationResultSchema, { yaml: await this.configuration.exportYaml(request.tenant) }));
  }

  @CommandHandler(AcdCommands.upsertNotReadyReason)
  upsertNotReadyReason(request: UpsertNotReadyReason) {
    const reason = request.reason!;
    return this.runner.run(request.tenant, 'reason.', async () =>
      create(UpsertCatalogueCodeResultSchema, await this.configuration.upsertCode('notReadyReasons', request.tenant, { code: reason.code, label: reason.label }, request.expectedVersion)),
    );
  }

  @CommandHandler(AcdCommands.deleteNotReadyReason)
  deleteNotReadyReason(request: DeleteCatalogueCode) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteCode('notReadyReasons', request.tenant, request.code, request.expectedVersion);
      return create(DeleteCatalogueCodeResultSchema);
    });
  }

  @CommandHandler(AcdCommands.upsertWrapUpCode)
  upsertWrapUpCode(request: UpsertWrapUpCode) {
    const code = request.code!;
    return this.runner.run(request.tenant, 'code.', async () =>
      create(UpsertCatalogueCodeResultSchema, await this.configuration.upsertCode('wrapUpCodes', request.tenant, { code: code.code, label: code.label }, request.expectedVersion)),
    );
  }

  @CommandHandler(AcdCommands.deleteWrapUpCode)
  deleteWrapUpCode(request: DeleteCatalogueCode) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteCode('wrapUpCodes', request.tenant, request.code, request.expectedVersion);
      return create(DeleteCatalogueCodeResultSchema);
    });
  }

  @CommandHandler(AcdCommands.deleteSkill)
  deleteSkill(request: DeleteSkill) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteSkill(request.tenant, request.name, request.expectedVersion);
      return create(DeleteSkillResultSchema);
    });
  }
}
