import { AcdCommands } from '@lianluo/contracts';
import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { CommandRunner } from '../commands/command-runner';
import { IdempotencyKey } from '../commands/idempotency-key.decorator';
import { Answers, ValidBody, ValidPath, ValidQuery } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress } from '../tenants/tenant-address';
import { diffJson, importAnswer } from './configuration-json';

/** What a refused import's problems name as their place: the document as a file. */
export const CONFIGURATION_DOCUMENT = 'configuration.yaml';

const flag = z.enum(['true', 'false']).default('false').transform((value) => value === 'true');
const importQuery = z.strictObject({
  dryRun: flag.describe('Only answer the diff; nothing is changed'),
  prune: flag.describe('Also delete what the document does not name'),
});
const yamlBody = z.string({ error: 'must be a YAML document (content type text/yaml)' }).min(1).max(4_000_000).describe('The document GET answers: skills, queues, agents, notReadyReasons, wrapUpCodes');

/**
 * The tenant's acd configuration as code (ADM): export as YAML and import of the same
 * format, all or nothing, as a dry run with the diff, optionally pruning what it does not name.
 */
@ApiTags('configuration')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant/configuration')
export class ConfigurationController {
  constructor(private readonly commands: CommandRunner) {}

  @Get()
  @Allow('read', 'Configuration')
  @Header('content-type', 'text/yaml; charset=utf-8')
  @ApiProduces('text/yaml')
  @ApiOperation({ summary: 'The configuration as a YAML document, in a stable order: importing it changes nothing' })
  @Answers(200, z.string(), [503])
  async export(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>): Promise<string> {
    return (await this.commands.run(AcdCommands.exportConfiguration, { tenant })).yaml;
  }

  @Post()
  @HttpCode(200)
  @Allow('update', 'Configuration')
  @ApiConsumes('text/yaml')
  @ApiOperation({
    summary: `Import a YAML document, all or nothing: what each kind's items become (created, updated, deleted, unchanged). A bad document: 400 naming each problem's field, line and column (${CONFIGURATION_DOCUMENT}:<line>:<column>)`,
  })
  @Answers(200, importAnswer, [409, 503])
  async import(
    @ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>,
    @ValidQuery(importQuery) { dryRun, prune }: z.output<typeof importQuery>,
    @ValidBody(yamlBody) yaml: string,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<z.output<typeof importAnswer>> {
    if (!dryRun) auditBefore(request, { yaml: (await this.commands.run(AcdCommands.exportConfiguration, { tenant })).yaml });
    const result = await this.commands.run(AcdCommands.importConfiguration, { tenant, yaml, dryRun, prune }, key, undefined, CONFIGURATION_DOCUMENT);
    return { applied: result.applied, diff: diffJson(result.diff!) };
  }
}
