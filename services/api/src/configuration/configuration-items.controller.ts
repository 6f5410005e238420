import { type JsonObject } from '@bufbuild/protobuf';
import { Controller, Delete, Get, Headers, HttpCode, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { IdempotencyKey } from '../commands/idempotency-key.decorator';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress, tenantId } from '../tenants/tenant-address';
import { ConfigurationItems } from './configuration-items';
import { agentAnswer, agentBody, codeBody, queueAnswer, queueBody, reasonAnswer, skillAnswer, skillBody } from './configuration-json';
import { entityTag } from './entity-tag';

const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/, { error: 'must be 1-128 letters, digits, _ . @ or -' });
const skillName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be a skill name: 1-64 lowercase letters, digits, _ or -' });
const skillsAddress = z.object({ tenant: tenantId, name: skillName });
const queuesAddress = z.object({ tenant: tenantId, queue: identifier });
const agentsAddress = z.object({ tenant: tenantId, agentId: identifier });
const notReadyReasonsAddress = z.object({ tenant: tenantId, code: identifier });
const wrapUpCodesAddress = z.object({ tenant: tenantId, code: identifier });

interface HeaderResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** Answers an item with its version as the ETag. */
function tagged(response: HeaderResponse, item: JsonObject): JsonObject {
  response.setHeader('ETag', entityTag(String(item.version)));
  return item;
}

/** Documents the optional If-Match of a conditional write. */
const IfMatchHeader = () =>
  ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last read: the change is made only if the item is still at that version (412 otherwise). Absent or *: unconditional.' });

/**
 * The tenant's configuration kept by acd, item by item (ADM): skills, queues, agents (admins
 * change them, supervisors read them), not-ready reasons and wrap-up codes (admins). Each item
 * has a version, its ETag; If-Match makes a change conditional on it. Every change is audited
 * with the item before and after.
 */
@ApiTags('configuration')
@ApiBearerAuth()
@Controller('v1/tenants/:tenant')
export class ConfigurationItemsController {
  constructor(private readonly items: ConfigurationItems) {}

  @Get('skills')
  @Allow('read', 'Skill')
  @ApiOperation({ summary: 'The tenant\'s skills, by name, each with its version' })
  @Answers(200, z.object({ items: z.array(skillAnswer) }), [503])
  async listSkills(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: await this.items.list(tenant, 'skills') };
  }

  @Get('skills/:name')
  @Allow('read', 'Skill')
  @ApiOperation({ summary: 'One skill; its ETag is its version' })
  @Answers(200, skillAnswer, [404, 503])
  async getSkills(@ValidPath(skillsAddress) { tenant, name }: z.output<typeof skillsAddress>, @Res({ passthrough: true }) response: HeaderResponse) {
    return tagged(response, await this.items.get(tenant, 'skills', name));
  }

  @Put('skills/:name')
  @Allow('update', 'Skill')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Create or replace a skill (201 when new); with If-Match only if it is still at that version (412 otherwise)' })
  @Answers(200, skillAnswer, [404, 409, 412, 503])
  async putSkills(
    @ValidPath(skillsAddress) { tenant, name }: z.output<typeof skillsAddress>,
    @ValidBody(skillBody) body: z.output<typeof skillBody>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
    @IdempotencyKey() key?: string,
  ) {
    auditBefore(request, (await this.items.find(tenant, 'skills', name)) ?? null);
    const written = await this.items.put(tenant, 'skills', name, body, ifMatch, key);
    response.status(written.created ? 201 : 200);
    return tagged(response, written.item);
  }

  @Delete('skills/:name')
  @HttpCode(204)
  @Allow('delete', 'Skill')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Delete a skill; with If-Match only if it is still at that version (412 otherwise); 409 while in use' })
  @Answers(204, undefined, [404, 409, 412, 503])
  async deleteSkills(
    @ValidPath(skillsAddress) { tenant, name }: z.output<typeof skillsAddress>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<void> {
    auditBefore(request, await this.items.get(tenant, 'skills', name));
    await this.items.remove(tenant, 'skills', name, ifMatch, key);
  }

  @Get('queues')
  @Allow('read', 'Queue')
  @ApiOperation({ summary: 'The tenant\'s queues, by queue, each with its version' })
  @Answers(200, z.object({ items: z.array(queueAnswer) }), [503])
  async listQueues(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: await this.items.list(tenant, 'queues') };
  }

  @Get('queues/:queue')
  @Allow('read', 'Queue')
  @ApiOperation({ summary: 'One queue; its ETag is its version' })
  @Answers(200, queueAnswer, [404, 503])
  async getQueues(@ValidPath(queuesAddress) { tenant, queue }: z.output<typeof queuesAddress>, @Res({ passthrough: true }) response: HeaderResponse) {
    return tagged(response, await this.items.get(tenant, 'queues', queue));
  }

  @Put('queues/:queue')
  @Allow('update', 'Queue')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Create or replace a queue (201 when new); with If-Match only if it is still at that version (412 otherwise)' })
  @Answers(200, queueAnswer, [404, 409, 412, 503])
  async putQueues(
    @ValidPath(queuesAddress) { tenant, queue }: z.output<typeof queuesAddress>,
    @ValidBody(queueBody) body: z.output<typeof queueBody>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
    @IdempotencyKey() key?: string,
  ) {
    auditBefore(request, (await this.items.find(tenant, 'queues', queue)) ?? null);
    const written = await this.items.put(tenant, 'queues', queue, body, ifMatch, key);
    response.status(written.created ? 201 : 200);
    return tagged(response, written.item);
  }

  @Delete('queues/:queue')
  @HttpCode(204)
  @Allow('delete', 'Queue')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Delete a queue; with If-Match only if it is still at that version (412 otherwise); 409 while in use' })
  @Answers(204, undefined, [404, 409, 412, 503])
  async deleteQueues(
    @ValidPath(queuesAddress) { tenant, queue }: z.output<typeof queuesAddress>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<void> {
    auditBefore(request, await this.items.get(tenant, 'queues', queue));
    await this.items.remove(tenant, 'queues', queue, ifMatch, key);
  }

  @Get('agents')
  @Allow('read', 'Agent')
  @ApiOperation({ summary: 'The tenant\'s agents, by agentId, each with its version' })
  @Answers(200, z.object({ items: z.array(agentAnswer) }), [503])
  async listAgents(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: await this.items.list(tenant, 'agents') };
  }

  @Get('agents/:agentId')
  @Allow('read', 'Agent')
  @ApiOperation({ summary: 'One agent; its ETag is its version' })
  @Answers(200, agentAnswer, [404, 503])
  async getAgents(@ValidPath(agentsAddress) { tenant, agentId }: z.output<typeof agentsAddress>, @Res({ passthrough: true }) response: HeaderResponse) {
    return tagged(response, await this.items.get(tenant, 'agents', agentId));
  }

  @Put('agents/:agentId')
  @Allow('update', 'Agent')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Create or replace a agent (201 when new); with If-Match only if it is still at that version (412 otherwise)' })
  @Answers(200, agentAnswer, [404, 409, 412, 503])
  async putAgents(
    @ValidPath(agentsAddress) { tenant, agentId }: z.output<typeof agentsAddress>,
    @ValidBody(agentBody) body: z.output<typeof agentBody>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
    @IdempotencyKey() key?: string,
  ) {
    auditBefore(request, (await this.items.find(tenant, 'agents', agentId)) ?? null);
    const written = await this.items.put(tenant, 'agents', agentId, body, ifMatch, key);
    response.status(written.created ? 201 : 200);
    return tagged(response, written.item);
  }

  @Delete('agents/:agentId')
  @HttpCode(204)
  @Allow('delete', 'Agent')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Delete a agent; with If-Match only if it is still at that version (412 otherwise); 409 while in use' })
  @Answers(204, undefined, [404, 409, 412, 503])
  async deleteAgents(
    @ValidPath(agentsAddress) { tenant, agentId }: z.output<typeof agentsAddress>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<void> {
    auditBefore(request, await this.items.get(tenant, 'agents', agentId));
    await this.items.remove(tenant, 'agents', agentId, ifMatch, key);
  }

  @Get('not-ready-reasons')
  @Allow('read', 'CatalogueCode')
  @ApiOperation({ summary: 'The tenant\'s not-ready reasons, by code, each with its version' })
  @Answers(200, z.object({ items: z.array(reasonAnswer) }), [503])
  async listNotReadyReasons(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: await this.items.list(tenant, 'notReadyReasons') };
  }

  @Get('not-ready-reasons/:code')
  @Allow('read', 'CatalogueCode')
  @ApiOperation({ summary: 'One not-ready reason; its ETag is its version' })
  @Answers(200, reasonAnswer, [404, 503])
  async getNotReadyReasons(@ValidPath(notReadyReasonsAddress) { tenant, code }: z.output<typeof notReadyReasonsAddress>, @Res({ passthrough: true }) response: HeaderResponse) {
    return tagged(response, await this.items.get(tenant, 'notReadyReasons', code));
  }

  @Put('not-ready-reasons/:code')
  @Allow('update', 'CatalogueCode')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Create or replace a not-ready reason (201 when new); with If-Match only if it is still at that version (412 otherwise)' })
  @Answers(200, reasonAnswer, [404, 409, 412, 503])
  async putNotReadyReasons(
    @ValidPath(notReadyReasonsAddress) { tenant, code }: z.output<typeof notReadyReasonsAddress>,
    @ValidBody(codeBody) body: z.output<typeof codeBody>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
    @IdempotencyKey() key?: string,
  ) {
    auditBefore(request, (await this.items.find(tenant, 'notReadyReasons', code)) ?? null);
    const written = await this.items.put(tenant, 'notReadyReasons', code, body, ifMatch, key);
    response.status(written.created ? 201 : 200);
    return tagged(response, written.item);
  }

  @Delete('not-ready-reasons/:code')
  @HttpCode(204)
  @Allow('delete', 'CatalogueCode')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Delete a not-ready reason; with If-Match only if it is still at that version (412 otherwise); 409 while in use' })
  @Answers(204, undefined, [404, 409, 412, 503])
  async deleteNotReadyReasons(
    @ValidPath(notReadyReasonsAddress) { tenant, code }: z.output<typeof notReadyReasonsAddress>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<void> {
    auditBefore(request, await this.items.get(tenant, 'notReadyReasons', code));
    await this.items.remove(tenant, 'notReadyReasons', code, ifMatch, key);
  }

  @Get('wrap-up-codes')
  @Allow('read', 'CatalogueCode')
  @ApiOperation({ summary: 'The tenant\'s wrap-up codes, by code, each with its version' })
  @Answers(200, z.object({ items: z.array(reasonAnswer) }), [503])
  async listWrapUpCodes(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: await this.items.list(tenant, 'wrapUpCodes') };
  }

  @Get('wrap-up-codes/:code')
  @Allow('read', 'CatalogueCode')
  @ApiOperation({ summary: 'One wrap-up code; its ETag is its version' })
  @Answers(200, reasonAnswer, [404, 503])
  async getWrapUpCodes(@ValidPath(wrapUpCodesAddress) { tenant, code }: z.output<typeof wrapUpCodesAddress>, @Res({ passthrough: true }) response: HeaderResponse) {
    return tagged(response, await this.items.get(tenant, 'wrapUpCodes', code));
  }

  @Put('wrap-up-codes/:code')
  @Allow('update', 'CatalogueCode')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Create or replace a wrap-up code (201 when new); with If-Match only if it is still at that version (412 otherwise)' })
  @Answers(200, reasonAnswer, [404, 409, 412, 503])
  async putWrapUpCodes(
    @ValidPath(wrapUpCodesAddress) { tenant, code }: z.output<typeof wrapUpCodesAddress>,
    @ValidBody(codeBody) body: z.output<typeof codeBody>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @Res({ passthrough: true }) response: HeaderResponse,
    @IdempotencyKey() key?: string,
  ) {
    auditBefore(request, (await this.items.find(tenant, 'wrapUpCodes', code)) ?? null);
    const written = await this.items.put(tenant, 'wrapUpCodes', code, body, ifMatch, key);
    response.status(written.created ? 201 : 200);
    return tagged(response, written.item);
  }

  @Delete('wrap-up-codes/:code')
  @HttpCode(204)
  @Allow('delete', 'CatalogueCode')
  @IfMatchHeader()
  @ApiOperation({ summary: 'Delete a wrap-up code; with If-Match only if it is still at that version (412 otherwise); 409 while in use' })
  @Answers(204, undefined, [404, 409, 412, 503])
  async deleteWrapUpCodes(
    @ValidPath(wrapUpCodesAddress) { tenant, code }: z.output<typeof wrapUpCodesAddress>,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: AuditedRequest,
    @IdempotencyKey() key?: string,
  ): Promise<void> {
    auditBefore(request, await this.items.get(tenant, 'wrapUpCodes', code));
    await this.items.remove(tenant, 'wrapUpCodes', code, ifMatch, key);
  }
}
