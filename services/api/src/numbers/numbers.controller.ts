import { DIALLED_NUMBER } from '@lianluo/contracts';
import { Controller, Delete, Get, HttpCode, NotFoundException, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type AuditedRequest, auditBefore } from '../audit/audit.interceptor';
import { Answers, ValidBody, ValidPath } from '../http/valid-request.decorators';
import { Allow } from '../policy/allow.decorator';
import { tenantAddress, tenantId } from '../tenants/tenant-address';
import { NumberPlanStore } from './number-plan.store';

const dialled = z.string().regex(DIALLED_NUMBER, { error: 'must be 1 to 32 digits, letters, _ or -, after an optional +' });
const numberAddress = z.object({ number: dialled });
const numberBody = z.strictObject({ tenant: tenantId.describe('The tenant whose calls this number brings') });
const numberAnswer = z.object({ number: z.string(), tenant: z.string() });
const numberList = z.object({ items: z.array(numberAnswer) });

const json = (entry: { number: string; tenant: string }) => ({ number: entry.number, tenant: entry.tenant });

/**
 * The number plan (TEL-5): one trunk carries many tenants' numbers, and the number dialled
 * says whose call it is; each tenant's flows say which of its numbers they answer. Platform
 * operators assign numbers; a tenant's admins see theirs.
 */
@ApiTags('numbers')
@ApiBearerAuth()
@Controller('v1')
export class NumbersController {
  constructor(private readonly plan: NumberPlanStore) {}

  @Get('numbers')
  @Allow('read', 'Tenant')
  @ApiOperation({ summary: 'Every dialled number of the platform and its tenant (platform operators)' })
  @Answers(200, numberList)
  async list() {
    return { items: (await this.plan.list()).map(json) };
  }

  @Put('numbers/:number')
  @Allow('update', 'Tenant')
  @ApiOperation({ summary: "Give a dialled number to a tenant: the media gateways take its calls for that tenant from now on" })
  @Answers(200, numberAnswer)
  async assign(@ValidPath(numberAddress) { number }: z.output<typeof numberAddress>, @ValidBody(numberBody) { tenant }: z.output<typeof numberBody>, @Req() request: AuditedRequest) {
    const before = await this.plan.find(number);
    if (before) auditBefore(request, json(before));
    return json(await this.plan.put(number, tenant));
  }

  @Delete('numbers/:number')
  @HttpCode(204)
  @Allow('delete', 'Tenant')
  @ApiOperation({ summary: "Take a number out of the plan: its calls keep the trunk's tenant" })
  @Answers(204, undefined, [404])
  async remove(@ValidPath(numberAddress) { number }: z.output<typeof numberAddress>, @Req() request: AuditedRequest): Promise<void> {
    const before = await this.plan.find(number);
    if (!before) throw new NotFoundException({ error: 'not_found', message: 'the plan has no such number' });
    auditBefore(request, json(before));
    await this.plan.delete(number);
  }

  @Get('tenants/:tenant/numbers')
  @Allow('read', 'Configuration')
  @ApiOperation({ summary: "The tenant's dialled numbers" })
  @Answers(200, numberList)
  async ofTenant(@ValidPath(tenantAddress) { tenant }: z.output<typeof tenantAddress>) {
    return { items: (await this.plan.list()).filter((entry) => entry.tenant === tenant).map(json) };
  }
}
