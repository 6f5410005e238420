import { create } from '@bufbuild/protobuf';
import {
  AcdCommands,
  type DeleteAgent,
  DeleteAgentResultSchema,
  type DeleteQueue,
  DeleteQueueResultSchema,
  type DeleteSkill,
  DeleteSkillResultSchema,
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
import { agentProfileOf } from './agent-profile-of';
import { ConfigurationService } from './configuration.service';
import { queueDefinitionOf } from './queue-definition-of';

/** Admin commands: queues, agents and skills, each change applied to live routing at once. */
@Injectable()
export class ConfigurationHandlers {
  constructor(
    private readonly configuration: ConfigurationService,
    private readonly runner: RoutingCommandRunner,
  ) {}

  @CommandHandler(AcdCommands.upsertQueue)
  upsertQueue(request: UpsertQueue) {
    return this.runner.run(request.tenant, 'queue.', async () =>
      create(UpsertQueueResultSchema, { created: await this.configuration.upsertQueue(request.tenant, queueDefinitionOf(request.queue!)) }),
    );
  }

  @CommandHandler(AcdCommands.deleteQueue)
  deleteQueue(request: DeleteQueue) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteQueue(request.tenant, request.queue);
      return create(DeleteQueueResultSchema);
    });
  }

  @CommandHandler(AcdCommands.upsertAgent)
  upsertAgent(request: UpsertAgent) {
    return this.runner.run(request.tenant, 'agent.', async () =>
      create(UpsertAgentResultSchema, { created: await this.configuration.upsertAgent(request.tenant, agentProfileOf(request.agent!)) }),
    );
  }

  @CommandHandler(AcdCommands.deleteAgent)
  deleteAgent(request: DeleteAgent) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteAgent(request.tenant, request.agentId);
      return create(DeleteAgentResultSchema);
    });
  }

  @CommandHandler(AcdCommands.upsertSkill)
  upsertSkill(request: UpsertSkill) {
    const skill = request.skill!;
    return this.runner.run(request.tenant, 'skill.', async () =>
      create(UpsertSkillResultSchema, { created: await this.configuration.upsertSkill(request.tenant, { name: skill.name, description: skill.description }) }),
    );
  }

  /** Upserts a YAML document of skills, queues and agents: all of it, or nothing when any part is wrong. */
  @CommandHandler(AcdCommands.importConfiguration)
  importConfiguration(request: ImportConfiguration) {
    return this.runner.run(request.tenant, '', async () => create(ImportConfigurationResultSchema, await this.configuration.importYaml(request.tenant, request.yaml)));
  }

  @CommandHandler(AcdCommands.deleteSkill)
  deleteSkill(request: DeleteSkill) {
    return this.runner.run(request.tenant, '', async () => {
      await this.configuration.deleteSkill(request.tenant, request.name);
      return create(DeleteSkillResultSchema);
    });
  }
}
